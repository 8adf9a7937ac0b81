"""The CLI's view of the configuration: it lives in the bottom layer, `settings.config` (re-exported here)."""
from settings.config import (CONFIG_NAME, DEFAULT_CATALOG, DEFAULT_CONFIG, Config, ConfigError,  # noqa: F401
                             load_config)
