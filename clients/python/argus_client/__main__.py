"""python -m argus_client HOST:PORT IMAGE ...: the same as argus-classify."""
import sys

from argus_client.classify import main

sys.exit(main())
