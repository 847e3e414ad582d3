"""Make the checkout's UDF module win over the copy an editable install places in
site-packages, so tests always see the source being edited."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "udfs"))
