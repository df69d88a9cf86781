package social.coves.identity.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import social.coves.identity.safety.FetchException;
import social.coves.identity.safety.FetchFailure;
import social.coves.identity.safety.HostResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DNS through dnsjava with explicitly chosen recursive resolvers: TXT records for handles (NXDOMAIN and "no TXT"
 * told apart from SERVFAIL/timeouts, so negative caching stays safe) and A/AAAA records for the HTTP client.
 * {@code localhost} is answered locally with loopback; {@link social.coves.identity.safety.AddressPolicy} decides
 * whether it may be used. So are names under the local loopback domains (local mode only: a local PDS's handles),
 * which have no TXT records.
 */
public final class DnsjavaResolver implements TxtLookup, HostResolver {

    private final Resolver resolver;
    private final Duration timeout;

    private final List<String> loopbackDomains;

    public DnsjavaResolver(List<String> servers, Duration timeout) {
        this(servers, timeout, List.of());
    }

    public DnsjavaResolver(List<String> servers, Duration timeout, List<String> loopbackDomains) {
        this.timeout = timeout;
        this.loopbackDomains = loopbackDomains.stream().map(d -> d.replaceFirst("^\\.", "").toLowerCase(java.util.Locale.ROOT)).toList();
        this.resolver = servers.isEmpty() ? new ExtendedResolver() : build(servers);
        this.resolver.setTimeout(timeout);
    }

    private static Resolver build(List<String> servers) {
        List<Resolver> resolvers = new ArrayList<>();
        for (String server : servers) {
            String host = server;
            int port = 53;
            int colon = server.lastIndexOf(':');
            if (colon > 0 && server.indexOf(':') == colon) {
                host = server.substring(0, colon);
                port = Integer.parseInt(server.substring(colon + 1));
            }
            try {
                resolvers.add(new SimpleResolver(new InetSocketAddress(InetAddress.getByName(host), port)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("DNS server must be an address: " + server, e);
            }
        }
        return resolvers.size() == 1 ? resolvers.get(0) : new ExtendedResolver(resolvers);
    }

    private boolean underLoopbackDomain(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.$", "");
        return loopbackDomains.stream().anyMatch(d -> lower.endsWith("." + d));
    }

    @Override
    public TxtAnswer txt(String name) {
        if (underLoopbackDomain(name)) {
            return TxtAnswer.none("NXDOMAIN (local loopback domain)");
        }
        Message response;
        try {
            response = query(name, Type.TXT);
        } catch (TextParseException e) {
            return TxtAnswer.none("not a DNS name: " + name);
        } catch (IOException e) {
            return TxtAnswer.failed("DNS TXT " + name + ": " + e.getMessage());
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return TxtAnswer.none("NXDOMAIN");
        }
        if (rcode != Rcode.NOERROR) {
            return TxtAnswer.failed("DNS TXT " + name + ": " + Rcode.string(rcode));
        }
        List<String> records = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof TXTRecord txt) {
                records.add(String.join("", txt.getStrings()));
            }
        }
        return TxtAnswer.found(records);
    }

    @Override
    public List<InetAddress> resolve(String host) throws FetchException {
        if (host.equalsIgnoreCase("localhost") || underLoopbackDomain(host)) {
            return List.of(InetAddress.getLoopbackAddress());
        }
        CompletableFuture<Message> v4 = queryAsync(host, Type.A);
        CompletableFuture<Message> v6 = queryAsync(host, Type.AAAA);
        List<InetAddress> addresses = new ArrayList<>();
        FetchException failure = null;
        for (CompletableFuture<Message> future : List.of(v4, v6)) {
            try {
                Message message = future.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
                for (Record record : message.getSection(Section.ANSWER)) {
                    if (record instanceof ARecord a) {
                        addresses.add(a.getAddress());
                    } else if (record instanceof AAAARecord aaaa) {
                        addresses.add(aaaa.getAddress());
                    }
                }
            } catch (TimeoutException e) {
                failure = new FetchException(FetchFailure.TIMEOUT, "DNS timeout for " + host, e);
            } catch (ExecutionException e) {
                failure = new FetchException(FetchFailure.IO, "DNS failure for " + host + ": " + e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FetchException(FetchFailure.IO, "interrupted resolving " + host);
            }
        }
        if (addresses.isEmpty() && failure != null) {
            throw failure;
        }
        if (addresses.isEmpty()) {
            throw new FetchException(FetchFailure.NO_ADDRESS, "no A/AAAA records for " + host);
        }
        return addresses;
    }

    private Message query(String name, int type) throws IOException {
        Record question = Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN);
        return resolver.send(Message.newQuery(question));
    }

    private CompletableFuture<Message> queryAsync(String name, int type) {
        try {
            Record question = Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN);
            return resolver.sendAsync(Message.newQuery(question)).toCompletableFuture();
        } catch (TextParseException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
