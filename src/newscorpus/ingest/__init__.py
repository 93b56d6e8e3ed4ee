"""From the seeds folder to decoded text: discovery, shard manifests, decoding."""
