"""`target-sdm-config`: the Singer loader of the configuration sync."""
