"""Public health indicator statistics, as OHID's guidance and PHEindicatormethods compute them."""
