-- Articles counted in story_paragraph_counts that have no cluster row any more (their file was replaced or
-- pruned, or re-processed: the load deletes their story rows) leave the counts; a re-processed article is
-- counted again with the new ones.
create or replace temp table gone_counts as
with gone as (
    select h.site, unnest(h.hashes) as hash
    from story_paragraph_hashes as h
    anti join story_clusters as c on h.article_id = c.article_id
    where h.site is not null
),

final as (
    select site, hash, count(*) as articles
    from gone
    group by site, hash
)

select * from final;

update story_paragraph_counts as c set articles = c.articles - g.articles
from gone_counts as g
where c.site = g.site and c.hash = g.hash;

delete from story_paragraph_counts where articles <= 0;

delete from story_paragraph_hashes as h
where not exists (select 1 from story_clusters as c where c.article_id = h.article_id);
