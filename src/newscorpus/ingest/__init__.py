"""From the seeds folder to decoded text: discovery, the change set, batch manifests, decoding."""
