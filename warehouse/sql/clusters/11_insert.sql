-- The new rows of one chunk of a clustering, registered by warehouse/clusters.py.
insert into story_clusters by name select * from incoming_story_clusters;
insert into story_signatures by name select * from incoming_story_signatures;
insert into story_bands by name select * from incoming_story_bands;
