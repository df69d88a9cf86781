-- Leave room on each page of the counted tables so counter updates that touch no indexed column (comment and reply
-- counts; subscriber/post counts) can be HOT updates: the new row version stays on the page and no index is touched.
-- Applies to pages written from now on (a replay into a fresh schema gets it everywhere).
ALTER TABLE appview.posts SET (fillfactor = 80);
ALTER TABLE appview.comments SET (fillfactor = 80);
ALTER TABLE appview.communities SET (fillfactor = 70);
