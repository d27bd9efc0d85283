"""Load test of Polku (SPEC §4): 50 simulated workers for 2 minutes, see loadtest/run."""
