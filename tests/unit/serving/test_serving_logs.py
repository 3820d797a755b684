from __future__ import annotations

import json
import logging
import sys

from serving.logs import JsonFormatter, log_config


def test_json_lines_carry_request_fields_and_withhold_exception_messages() -> None:
    try:
        raise ValueError("the child's name is Persephone")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("serving", logging.ERROR, __file__, 1, "failed", None, exc_info)
    record.request_id = "r1"
    record.status = 500
    line = JsonFormatter().format(record)
    out = json.loads(line)
    assert out["request_id"] == "r1" and out["status"] == 500 and out["level"] == "ERROR"
    assert "ValueError" in out["exception"]
    assert "Persephone" not in line


def test_log_config_is_valid_for_dictconfig() -> None:
    import logging.config

    cfg = log_config("WARNING")
    logging.config.dictConfig(cfg)
    assert cfg["loggers"]["uvicorn.access"]["handlers"] == []
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
