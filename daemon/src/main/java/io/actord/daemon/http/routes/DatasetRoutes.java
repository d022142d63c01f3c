package io.actord.daemon.http.routes;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.access.Caller;
import io.actord.daemon.storage.DatasetFormat;
import io.actord.daemon.storage.DatasetStore;
import io.actord.daemon.storage.ItemQuery;
import io.actord.daemon.storage.StorageRegistry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Datasets: {@code /v2/datasets} (list, getOrCreate) and each dataset's routes, which
 * {@link #registerDataset} can also mount under another prefix (a run's default dataset).
 */
public final class DatasetRoutes {
    /** Item parameters Apify has and actord does not implement: refused rather than silently ignored. */
    private static final List<String> UNSUPPORTED = List.of("view");
    /**
     * Dataset statistics ({@code GET …/statistics}): the platform measures fields only for a dataset with a fields
     * schema and answers {@code fieldStatistics: null} for one without; actord's datasets have no schema.
     */
    private static final Map<String, Object> NO_FIELD_STATISTICS = Collections.singletonMap("fieldStatistics", null);

    private final DatasetStore datasets;
    private final Function<ApiRequest, Caller> callers;

    public DatasetRoutes(DatasetStore datasets, Function<ApiRequest, Caller> callers) {
        this.datasets = datasets;
        this.callers = callers;
    }

    public void register(Router router) {
        router.get("/v2/datasets", r -> StorageRequests.page(r, p -> datasets.list(callers.apply(r), p.offset(),
                        p.limit(), p.desc(), p.unnamed()), m -> StorageViews.dataset(m, callers.apply(r))))
                .post("/v2/datasets", this::getOrCreate);
        registerDataset(router, "/v2/datasets/{datasetId}", r -> r.pathParam("datasetId"));
    }

    /** The routes of one dataset under {@code prefix}; {@code ref} names the dataset a request is about. */
    public void registerDataset(Router router, String prefix, Function<ApiRequest, String> ref) {
        router.get(prefix, r -> {
                    Caller c = callers.apply(r);
                    return ApiResponse.data(200, StorageViews.dataset(datasets.get(c, ref.apply(r)), c));
                })
                .put(prefix, r -> {
                    Caller c = callers.apply(r);
                    String id = ref.apply(r);
                    return ApiResponse.data(200, StorageViews.dataset(datasets.rename(c, id,
                            StorageRequests.newName(r, datasets.get(c, id).name())), c));
                })
                .delete(prefix, r -> {
                    datasets.delete(callers.apply(r), ref.apply(r));
                    return ApiResponse.noContent();
                })
                .get(prefix + "/statistics", r -> {
                    datasets.get(callers.apply(r), ref.apply(r));
                    return ApiResponse.data(200, NO_FIELD_STATISTICS);
                })
                .get(prefix + "/items", r -> items(r, ref.apply(r)))
                .post(prefix + "/items", r -> {
                    datasets.push(callers.apply(r), ref.apply(r), r.body());
                    return ApiResponse.json(201, Map.of());
                });
    }

    private ApiResponse getOrCreate(ApiRequest r) {
        Caller c = callers.apply(r);
        StorageRegistry.Opened opened = datasets.getOrCreate(c, r.query("name"));
        return ApiResponse.data(opened.created() ? 201 : 200, StorageViews.dataset(opened.meta(), c));
    }

    /** A page of items with the query's paging, selection and format, and Apify's pagination headers. */
    ApiResponse items(ApiRequest r, String datasetRef) {
        for (String p : UNSUPPORTED) {
            if (r.query(p).isPresent()) {
                throw ApiException.invalidValue("parameter '" + p + "' is not supported by actord");
            }
        }
        boolean clean = r.queryBool("clean");
        ItemQuery query = new ItemQuery(StorageRequests.nonNegative(r, "offset").orElse(0L),
                StorageRequests.nonNegative(r, "limit"), r.queryBool("desc"), clean || r.queryBool("skipHidden"),
                clean || r.queryBool("skipEmpty"), StorageRequests.list(r, "fields"), StorageRequests.list(r, "omit"),
                StorageRequests.list(r, "unwind"), StorageRequests.list(r, "flatten"));
        DatasetFormat format = r.query("format").map(DatasetFormat::of).orElse(DatasetFormat.JSON);
        DatasetStore.ItemsPage page = datasets.items(callers.apply(r), datasetRef, query);
        byte[] body = format.render(page.items(), new DatasetFormat.CsvOptions(csvColumns(query),
                r.query("delimiter").orElse(","), r.queryBool("bom"), r.queryBool("skipHeaderRow")));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Apify-Pagination-Total", Long.toString(page.total()));
        headers.put("X-Apify-Pagination-Offset", Long.toString(page.offset()));
        headers.put("X-Apify-Pagination-Limit", Long.toString(page.limit()));
        headers.put("X-Apify-Pagination-Count", Integer.toString(page.items().size()));
        headers.put("X-Apify-Pagination-Desc", Boolean.toString(page.desc()));
        if (r.queryBool("attachment")) {
            headers.put("Content-Disposition", "attachment; filename=\"dataset_" + datasetRef.replaceAll("[^A-Za-z0-9_-]", "_")
                    + "." + format.extension() + "\"");
        }
        return new ApiResponse.Full(200, format.contentType(), body, headers);
    }

    /**
     * CSV columns follow {@code fields} when it names them; unwinding and flattening replace fields with
     * others, so then the columns are the ones the items have.
     */
    private static List<String> csvColumns(ItemQuery query) {
        return query.unwind().isEmpty() && query.flatten().isEmpty() ? query.fields() : List.of();
    }
}
