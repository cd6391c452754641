"""`monev demo`'s data: synthetic roster and registry files (files.py) and the budgets,
regulations and workforce figures beside them (facts.py). A face, like the command that
uses it: it calls the apps' import services exactly as a user's files would."""
