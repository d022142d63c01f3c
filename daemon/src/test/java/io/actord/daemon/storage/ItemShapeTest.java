package io.actord.daemon.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ItemShapeTest {
    @Test
    void shouldMergeAnUnwoundObjectIntoItsParentAsTheDocsShow() {
        assertEquals(List.of("{\"bar\":\"hello\"}"), shape("{\"foo\":{\"bar\":\"hello\"}}", unwind("foo")));
    }

    @Test
    void shouldFlattenANestedObjectIntoDottedKeysAsTheDocsShow() {
        assertEquals(List.of("{\"foo.bar\":\"hello\"}"), shape("{\"foo\":{\"bar\":\"hello\"}}", flatten("foo")));
    }

    @Test
    void shouldMakeOneItemPerArrayElementMergedWithTheParentWithoutTheField() {
        assertEquals(List.of("{\"title\":\"shirt\",\"price\":2,\"size\":\"S\"}",
                        "{\"title\":\"shirt\",\"price\":3,\"size\":\"M\"}"),
                shape("{\"title\":\"shirt\",\"variants\":[{\"size\":\"S\"},{\"size\":\"M\",\"price\":3}],\"price\":2}",
                        unwind("variants")));
    }

    @Test
    void shouldPutANonObjectElementInTheFieldsPlace() {
        assertEquals(List.of("{\"a\":1,\"tag\":\"x\",\"b\":2}", "{\"a\":1,\"tag\":null,\"b\":2}",
                        "{\"a\":1,\"tag\":[3],\"b\":2}"),
                shape("{\"a\":1,\"tag\":[\"x\",null,[3]],\"b\":2}", unwind("tag")));
    }

    @DisplayName("an unwind field that is missing, null or a scalar leaves the item as it is")
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1}",
            "{\"a\":1,\"v\":null}",
            "{\"a\":1,\"v\":\"text\"}",
            "{\"a\":1,\"v\":7}",
    })
    void shouldKeepAnItemWhoseUnwindFieldCannotBeMerged(String item) {
        assertEquals(List.of(item), shape(item, unwind("v")));
    }

    @Test
    void shouldMakeNoItemFromAnEmptyArrayAndTheParentFromAnEmptyObject() {
        assertEquals(List.of(), shape("{\"a\":1,\"v\":[]}", unwind("v")));
        assertEquals(List.of("{\"a\":1}"), shape("{\"a\":1,\"v\":{}}", unwind("v")));
    }

    @Test
    void shouldUnwindSeveralFieldsInTheGivenOrder() {
        assertEquals(List.of("{\"x\":1,\"y\":\"a\"}", "{\"x\":1,\"y\":\"b\"}", "{\"x\":2,\"y\":\"a\"}", "{\"x\":2,\"y\":\"b\"}"),
                shape("{\"xs\":[{\"x\":1},{\"x\":2}],\"ys\":[{\"y\":\"a\"},{\"y\":\"b\"}]}", unwind("xs", "ys")));
        assertEquals(List.of("{\"inner\":1}", "{\"inner\":2}"),
                shape("{\"outer\":{\"list\":[{\"inner\":1},{\"inner\":2}]}}", unwind("outer", "list")));
    }

    @Test
    void shouldFlattenRecursivelyInPlaceKeepingArraysAndEmptyObjects() {
        assertEquals(List.of("{\"a\":0,\"p.q.r\":1,\"p.list\":[{\"z\":1}],\"p.none\":{},\"b\":{\"c\":2},\"e\":{}}"),
                shape("{\"a\":0,\"p\":{\"q\":{\"r\":1},\"list\":[{\"z\":1}],\"none\":{}},\"b\":{\"c\":2},\"e\":{}}",
                        flatten("p", "e", "missing")));
    }

    @Test
    void shouldPickFieldsBeforeUnwindingAsApifysProductVariantsViewDoes() {
        ItemQuery q = query(List.of("title", "variants"), List.of("variants"), List.of(), List.of(), false, false);
        assertEquals(List.of("{\"title\":\"t\",\"size\":\"S\",\"stock\":1}"),
                shape("{\"title\":\"t\",\"secret\":1,\"variants\":[{\"size\":\"S\",\"stock\":1}]}", q));
    }

    @Test
    void shouldOmitFlattenedNamesAfterFlattening() {
        ItemQuery q = query(List.of(), List.of(), List.of("geo"), List.of("geo.lon"), false, false);
        assertEquals(List.of("{\"geo.lat\":1}"), shape("{\"geo\":{\"lat\":1,\"lon\":2}}", q));
    }

    @Test
    void shouldDropHiddenFieldsFromUnwoundElementsAndItemsLeftEmpty() {
        ItemQuery clean = query(List.of(), List.of("v"), List.of(), List.of(), true, true);
        assertEquals(List.of("{\"a\":1}"), shape("{\"v\":[{\"#h\":1},{\"#h\":2,\"a\":1}]}", clean));
    }

    @Test
    void shouldShareNothingMutableBetweenTheItemsOfOneStoredItem() {
        ItemQuery q = query(List.of(), List.of("v"), List.of("o"), List.of("o.k"), false, false);
        assertEquals(List.of("{\"o.j\":2,\"i\":1}", "{\"o.j\":2,\"i\":2}"),
                shape("{\"o\":{\"k\":1,\"j\":2},\"v\":[{\"i\":1},{\"i\":2}]}", q));
    }

    private static ItemQuery unwind(String... fields) {
        return query(List.of(), List.of(fields), List.of(), List.of(), false, false);
    }

    private static ItemQuery flatten(String... fields) {
        return query(List.of(), List.of(), List.of(fields), List.of(), false, false);
    }

    private static ItemQuery query(List<String> fields, List<String> unwind, List<String> flatten, List<String> omit,
                                   boolean skipHidden, boolean skipEmpty) {
        return new ItemQuery(0, Optional.empty(), false, skipHidden, skipEmpty, fields, omit, unwind, flatten);
    }

    private static List<String> shape(String item, ItemQuery q) {
        List<String> out = new ArrayList<>();
        ItemShape.apply((ObjectNode) DatasetStore.readTree(item.getBytes(StandardCharsets.UTF_8)), q,
                shaped -> out.add(text(shaped)));
        return out;
    }

    private static String text(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
