package social.coves.identity.safety;

import java.net.InetAddress;
import java.util.List;

/** Name to addresses, used by {@link SafeHttpClient} right before it connects (so the checked address is the one used). */
public interface HostResolver {

    /** @throws FetchException {@link FetchFailure#NO_ADDRESS} when the name has no address, {@code TIMEOUT}/{@code IO} otherwise */
    List<InetAddress> resolve(String host) throws FetchException;
}
