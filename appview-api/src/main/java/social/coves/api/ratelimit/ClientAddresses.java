package social.coves.api.ratelimit;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/** The client address of a request, for every per-client limit ({@link ClientAddress} with the configured proxies). */
@ApplicationScoped
public class ClientAddresses {

    private final ClientAddress clients;

    public ClientAddresses(@ConfigProperty(name = "coves.api.rate-limit.trusted-proxies") Optional<List<String>> trustedProxies) {
        this.clients = new ClientAddress(trustedProxies.orElse(List.of()));
    }

    public String of(HttpServerRequest request) {
        return clients.of(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                request.getHeader("X-Forwarded-For"));
    }
}
