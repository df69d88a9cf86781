package social.coves.api.communities.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.communities.accounts.CommunityAccount;
import social.coves.api.communities.accounts.CommunityAccountStore;
import social.coves.api.communities.accounts.CommunitySessions;
import social.coves.api.communities.rules.ContentRules;
import social.coves.api.instance.InstanceConfig;
import social.coves.api.pds.PdsClient;
import social.coves.api.pds.PdsException;
import social.coves.api.pds.PdsSession;
import social.coves.api.pds.RecordRef;
import social.coves.api.secrets.SecretBox;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * {@code community.create} in steps that a retry completes: (1) reserve the name and choose the password (stored
 * sealed before the PDS hears of it), (2) the PDS account ({@code createAccount}; if the PDS already has it because an
 * earlier attempt lost its answer, {@code createSession} with the stored password), (3) the profile record written as
 * the community with {@code putRecord} (idempotent). A failure anywhere leaves a row the same creator's retry
 * resumes from; only a finished community answers {@code NameTaken}.
 */
@ApplicationScoped
public class CommunityCreation {

    private static final Set<String> HANDLE_TAKEN = Set.of("HandleNotAvailable", "AlreadyExists");

    private final CommunityAccountStore store;
    private final CommunitySessions sessions;
    private final PdsClient pds;
    private final SecretBox box;
    private final InstanceConfig instance;
    private final ProfileRecords profiles;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();

    public CommunityCreation(CommunityAccountStore store, CommunitySessions sessions, PdsClient pds, SecretBox box,
                             InstanceConfig instance, ProfileRecords profiles, ObjectMapper json) {
        this.store = store;
        this.sessions = sessions;
        this.pds = pds;
        this.box = box;
        this.instance = instance;
        this.profiles = profiles;
        this.json = json;
    }

    /** What the procedure answers. */
    public record Created(String uri, String cid, String did, String handle) {
    }

    public Created create(String caller, URI pdsUrl, String name, ProfileRecords.Draft draft,
                          Optional<ContentRules> rules) {
        String handle = instance.handleOf(name);
        CommunityAccount account = reserve(caller, pdsUrl, name, handle);
        if (account.state() == CommunityAccount.State.reserved) {
            account = createAccount(account);
        }
        CommunityAccount community = account;
        ObjectNode profile = profiles.build(community, draft, null, caller);
        rules.ifPresent(r -> sessions.asCommunity(community, token -> pds.putRecord(community.pds(), token, community.did(),
                ContentRules.COLLECTION, "self", r.toRecord(json), null)));
        RecordRef ref = sessions.asCommunity(community, token -> pds.putRecord(community.pds(), token, community.did(),
                CovesCollections.COMMUNITY_PROFILE, "self", profile, null));
        store.profileWritten(name, ref.uri(), ref.cid());
        return new Created(ref.uri(), ref.cid(), community.did(), handle);
    }

    private CommunityAccount reserve(String caller, URI pdsUrl, String name, String handle) {
        Optional<CommunityAccount> existing = store.byName(name);
        if (existing.isEmpty()) {
            byte[] password = box.seal(newPassword(), "community:" + name + ":password");
            if (store.reserve(name, handle, pdsUrl, caller, password)) {
                return store.byName(name).orElseThrow();
            }
            existing = store.byName(name);
        }
        CommunityAccount found = existing.orElseThrow(() -> new IllegalStateException("reservation vanished: " + name));
        if (found.state() == CommunityAccount.State.ready) {
            throw new XrpcException(409, "NameTaken", "a community named " + name + " exists already");
        }
        if (!found.createdBy().equals(caller)) {
            if (!store.takeOver(name, caller, instance.abandonedCreationAfter())) {
                throw new XrpcException(409, "NameTaken", "a community named " + name + " is being created by another account");
            }
            found = store.byName(name).orElseThrow();
        }
        return found;
    }

    private CommunityAccount createAccount(CommunityAccount reserved) {
        String password = box.open(reserved.passwordSealed(), reserved.sealContext("password"));
        String email = "c-" + reserved.name() + "@" + instance.domain();
        PdsSession session;
        try {
            session = pds.createAccount(reserved.pds(), reserved.handle(), email, password);
        } catch (PdsException e) {
            if (alreadyTaken(e)) {
                session = resumeEarlierAttempt(reserved, password, e);
            } else if (e.status() < 500 && ("InvalidHandle".equals(e.error()) || "UnsupportedDomain".equals(e.error()))) {
                store.release(reserved.name());
                throw XrpcException.invalidRequest("the PDS refused the handle " + reserved.handle() + ": " + e.getMessage());
            } else {
                throw new XrpcException(502, "UpstreamFailure", "the PDS refused to create the community account: " + e.error());
            }
        }
        CommunityAccountStore.Tokens tokens = sessions.seal(reserved, session);
        store.accountCreated(reserved.name(), session.did(), tokens.accessSealed(), tokens.refreshSealed(), tokens.accessExpiresAt());
        return store.byName(reserved.name()).orElseThrow();
    }

    /** The reference PDS names it {@code HandleNotAvailable}, or says "Handle/Email already taken" in an InvalidRequest. */
    private static boolean alreadyTaken(PdsException e) {
        return HANDLE_TAKEN.contains(e.error())
                || "InvalidRequest".equals(e.error()) && e.getMessage().contains("already taken");
    }

    /** The handle exists on the PDS: ours from an attempt that lost its answer (the password opens it), or someone else's. */
    private PdsSession resumeEarlierAttempt(CommunityAccount reserved, String password, PdsException taken) {
        try {
            return pds.createSession(reserved.pds(), reserved.handle(), password);
        } catch (PdsException notOurs) {
            store.release(reserved.name());
            throw new XrpcException(409, "NameTaken", "the handle " + reserved.handle() + " is taken on the PDS ("
                    + taken.error() + ")");
        }
    }

    private String newPassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
