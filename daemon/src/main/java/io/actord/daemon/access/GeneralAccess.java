package io.actord.daemon.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.actord.daemon.api.ApiException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Apify's general access of a run (and so of its log and default storages): who may read it besides the
 * owner and the users it is shared with. actord has no account-wide setting, so {@link #FOLLOW_USER_SETTING}
 * (the default, as on the platform) means {@link #RESTRICTED}.
 */
public enum GeneralAccess {
    FOLLOW_USER_SETTING, RESTRICTED, ANYONE_WITH_ID_CAN_READ;

    @JsonValue
    public String wireName() {
        return name();
    }

    /** The wire name; 400 invalid-value naming the allowed values otherwise. */
    @JsonCreator
    public static GeneralAccess parse(String value) {
        return Arrays.stream(values()).filter(g -> g.name().equals(value)).findFirst()
                .orElseThrow(() -> ApiException.invalidValue("generalAccess must be one of " + Arrays.stream(values())
                        .map(Enum::name).collect(Collectors.joining(", ")) + ", got '" + value + "'"));
    }

    /** Whether anyone holding the id may read. */
    public boolean anyoneCanRead() {
        return this == ANYONE_WITH_ID_CAN_READ;
    }
}
