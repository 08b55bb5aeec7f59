import sys

from soulanma_scim.cli import main

sys.exit(main())
