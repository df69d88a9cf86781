-- Leave room on each page of posts and comments so counter updates that touch no indexed column (comment and reply
-- counts) can be HOT updates: the new row version stays on the page and no index is touched. (Communities are left
-- alone: their counters are the keys of communities_popular / communities_active, so those updates are never HOT.)
-- Applies to pages written from now on (a replay into a fresh schema gets it everywhere).
ALTER TABLE appview.posts SET (fillfactor = 80);
ALTER TABLE appview.comments SET (fillfactor = 80);
