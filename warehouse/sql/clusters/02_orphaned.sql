-- Clusters whose first article left the warehouse (its file was replaced or pruned): their remaining members,
-- first first, with their signatures, so their similarity is measured again against the new first article.
select c.cluster_id, c.article_id, s.signature
from story_clusters as c
inner join story_signatures as s on c.article_id = s.article_id
where c.cluster_id in (
    select cluster_id from story_clusters
    except
    select cluster_id from story_clusters where article_id = cluster_id
)
order by c.cluster_id, c.first_seen, c.article_id;
