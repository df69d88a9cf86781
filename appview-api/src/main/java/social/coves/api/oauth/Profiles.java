package social.coves.api.oauth;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.images.ImagePreset;
import social.coves.api.images.ImageUrls;
import social.coves.api.sql.Jdbc;

import java.util.Optional;

/** What {@code /api/me} shows of the signed-in user from the index: the verified handle and the avatar. */
@ApplicationScoped
public class Profiles {

    private final AgroalDataSource db;
    private final ImageUrls images;

    public Profiles(AgroalDataSource db, ImageUrls images) {
        this.db = db;
        this.images = images;
    }

    public Optional<String> handle(String did) {
        return column(did, "shown_handle").filter(h -> !h.equals("handle.invalid"));
    }

    public Optional<String> avatar(String did) {
        return column(did, "avatar_cid").map(cid -> images.url(ImagePreset.AVATAR, did, cid));
    }

    private Optional<String> column(String did, String column) {
        try {
            return Jdbc.first(db, "profiles", "SELECT " + column + " FROM appview.actors WHERE did = ?", rs -> rs.getString(1), did);
        } catch (IllegalStateException e) {
            return Optional.empty();   // the index may be behind or elsewhere: the session's own handle stands
        }
    }
}
