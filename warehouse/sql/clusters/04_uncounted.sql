-- The loaded articles whose paragraphs are not counted yet (new ones, and on a warehouse from before the counts
-- every article), numbered from 0 so they are counted a chunk at a time.
create or replace temp table uncounted as
select
    row_number() over (order by a.article_id) - 1 as seq,
    a.article_id,
    coalesce(a.site, a.domain) as site
from articles as a
anti join story_paragraph_hashes as h on a.article_id = h.article_id;
