-- Signatures of another scheme (rules/clusters.toml changed) cannot be compared with new ones: every story row
-- goes and the run clusters every article again ($scheme is the current one).
create or replace temp table stale_scheme as
select count(*) > 0 as stale from story_signatures where scheme <> getvariable('cluster_scheme');

delete from story_clusters where (select stale from stale_scheme);
delete from story_signatures where (select stale from stale_scheme);
delete from story_bands where (select stale from stale_scheme);
-- the paragraph counts do not depend on the scheme, but every article is counted again with its clustering
delete from story_paragraph_counts where (select stale from stale_scheme);
delete from story_paragraph_hashes where (select stale from stale_scheme);
