package dev.argus.modelhub;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;

/**
 * {@code hf://} locations, as a user or a {@code model.properties} file writes them: parsed, or refused with a
 * CONFIGURATION error that says what is wrong. A finding is any other exception, or a parsed location whose parts
 * could leave the cache directory (a path segment {@code ..}, an absolute path, a backslash) or break the URL it is
 * downloaded from.
 */
class LocationFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void parsesOrRefusesEveryLocation(FuzzedDataProvider data) {
        String location = data.consumeRemainingAsString();
        HubLocation parsed;
        try {
            parsed = HubLocation.parse(location);
        } catch (ArgusException e) {
            if (e.code() != ErrorCode.CONFIGURATION) {
                throw new AssertionError("a bad location is a configuration error, not " + e.code(), e);
            }
            return;
        } catch (NullPointerException e) {
            if (location == null) {
                return;
            }
            throw e;
        }
        for (String part : new String[] {parsed.owner(), parsed.repo(), parsed.revision(), parsed.path()}) {
            if (part == null) {
                continue;
            }
            for (String segment : part.split("/", -1)) {
                if (segment.equals("..") || segment.equals(".")) {
                    throw new AssertionError("a parsed location holds the segment '" + segment + "': " + parsed);
                }
            }
            if (part.startsWith("/") || part.contains("\\") || part.chars().anyMatch(c -> c < 0x20)) {
                throw new AssertionError("a parsed location holds '" + part + "': " + parsed);
            }
        }
    }
}
