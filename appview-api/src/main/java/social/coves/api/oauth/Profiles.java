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

    /** What the index shows of {@code did}: its verified handle and avatar URL (each when known), in one read. */
    public record Shown(Optional<String> handle, Optional<String> avatar) {
    }

    public Shown of(String did) {
        try {
            return Jdbc.first(db, "profiles", "SELECT shown_handle, avatar_cid FROM appview.actors WHERE did = ?",
                    rs -> new Shown(Optional.ofNullable(rs.getString(1)).filter(h -> !h.equals("handle.invalid")),
                            Optional.ofNullable(rs.getString(2)).map(cid -> images.url(ImagePreset.AVATAR, did, cid))), did)
                    .orElse(new Shown(Optional.empty(), Optional.empty()));
        } catch (IllegalStateException e) {
            // the index may be behind or elsewhere: the session's own handle stands
            return new Shown(Optional.empty(), Optional.empty());
        }
    }
}
