-- The articles not clustered yet, numbered from 0 in the order they were first seen (the order they join
-- clusters in), so they are clustered a chunk at a time.
create or replace temp table unclustered as
select
    row_number() over (order by d.ingested_at, a.article_id) - 1 as seq,
    a.article_id,
    coalesce(a.site, a.domain) as site,
    d.ingested_at as first_seen
from articles as a
inner join documents as d on a.doc_id = d.doc_id
anti join story_clusters as c on a.article_id = c.article_id;
