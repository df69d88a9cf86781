package social.coves.api.aggregators;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.communities.accounts.CommunityAccount;
import social.coves.api.pds.PdsClient;
import social.coves.api.xrpc.XrpcException;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code social.coves.aggregator.authorization} records of a community this instance hosts, read from the
 * community's own repository on the PDS rather than from the index: the repository is the truth, so an authorization
 * that was just disabled, deleted or pointed at another aggregator stops posting at once, before any indexing.
 */
@ApplicationScoped
public class CommunityAuthorizations {

    public static final String COLLECTION = "social.coves.aggregator.authorization";
    private static final int PAGE = 100;
    private static final int MAX_PAGES = 20;

    /** One record naming the aggregator. */
    public record Found(String uri, String rkey, String cid, JsonNode value) {
        public boolean enabled() {
            return value.path("enabled").asBoolean(false);
        }
    }

    private final PdsClient pds;

    public CommunityAuthorizations(PdsClient pds) {
        this.pds = pds;
    }

    /** Every authorization record in the community's repository that names {@code aggregator}. */
    public List<Found> of(CommunityAccount community, String aggregator) {
        List<Found> found = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = pds.listRecords(community.pds(), community.did(), COLLECTION, PAGE, cursor);
            for (JsonNode record : answer.path("records")) {
                JsonNode value = record.path("value");
                if (aggregator.equals(value.path("aggregatorDid").asText()) && community.did().equals(value.path("communityDid").asText())) {
                    String uri = record.path("uri").asText();
                    found.add(new Found(uri, uri.substring(uri.lastIndexOf('/') + 1), record.path("cid").asText(), value));
                }
            }
            cursor = answer.path("cursor").asText(null);
            if (cursor == null || answer.path("records").size() < PAGE) {
                return found;
            }
        }
        throw new XrpcException(502, "UpstreamFailure", "community " + community.did() + " holds more than "
                + PAGE * MAX_PAGES + " aggregator authorization records");
    }

    public boolean isEnabled(CommunityAccount community, String aggregator) {
        return of(community, aggregator).stream().anyMatch(Found::enabled);
    }
}
