"""Settings: flags > environment WIREHOUSE_* > wirehouse.toml > defaults (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from transforms import DEFAULT_MODEL

if TYPE_CHECKING:
    from warehouse.store import Lake


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WIREHOUSE_", toml_file="wirehouse.toml", extra="forbid")

    inbox: Path = Field(Path("seeds"), description="folder of raw news text files")
    db: Path = Field(Path("data/wirehouse.ducklake"), description="the warehouse: its SQLite catalog file (data files in <name>.files/ beside it)")
    catalog: str | None = Field(None, description="a DuckLake catalog instead of the SQLite file, e.g. 'postgres:dbname=wirehouse host=127.0.0.1'")
    catalog_schema: str | None = Field(None, description="with a PostgreSQL catalog: the schema holding this warehouse's catalog tables ('{db}': one per warehouse path)")
    data_path: str | None = Field(None, description="where the Parquet data files go [default: <name>.files/ beside the warehouse]")
    retention_days: float = Field(7.0, ge=0, description="maintenance: snapshots older than this are expired (time travel reaches back this far)")
    maintenance_interval_seconds: float = Field(86400.0, gt=0, description="`wirehouse serve`: seconds between maintenance runs")
    model: str = Field(DEFAULT_MODEL, description="spaCy pipeline package to load")
    batch_files: int = Field(1000, ge=1, description="files per load transaction")
    max_articles_per_file: int = Field(5000, ge=1, description="a file splitting into more articles is rejected with the count (a Reuters-21578 file of 1 MB holds about 1,000 stories)")
    nlp_batch_size: int = Field(64, ge=1, description="texts per nlp.pipe batch")
    processes: int = Field(0, ge=0, description="spaCy worker processes; 0 picks by batch size and cores")
    settle_seconds: float = Field(1.0, ge=0, description="files modified more recently are deferred")
    lock_timeout_seconds: float = Field(600.0, ge=0, description="how long a run waits for another run on the same warehouse")
    schedule_interval_seconds: float = Field(300.0, gt=0, description="`wirehouse serve`: seconds between scheduled runs")
    schedule_cron: str | None = Field(None, description="`wirehouse serve`: a cron schedule, used instead of the interval")
    watch: bool = Field(False, description="`wirehouse serve`: also start a run when new or changed files arrive")
    watch_poll_seconds: float = Field(2.0, gt=0, description="how often the file-arrival trigger looks at the inbox")
    runner: Literal["local", "dask"] = Field("local", description="where extraction runs: worker processes here, or an existing Dask cluster")
    dask_address: str | None = Field(None, description="`--runner dask`: the Dask scheduler's HOST:PORT")
    dask_chunk_articles: int = Field(100, ge=1, description="`--runner dask`: articles per extract task on the cluster")
    notify_block: str | None = Field(None, description="Prefect notification block ('type-slug/name') told of failed runs")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)

    @model_validator(mode="after")
    def dask_needs_an_address(self) -> "Settings":
        if self.runner == "dask" and not self.dask_address:
            raise ValueError("runner 'dask' needs the scheduler's address (--address HOST:PORT or WIREHOUSE_DASK_ADDRESS)")
        return self

    @property
    def data_dir(self) -> Path:
        """Where generated state lives: the warehouse's folder."""
        return self.db.parent

    @property
    def lake(self) -> Lake:
        """The warehouse's catalog and data files as settings place them."""
        from warehouse.store import Lake  # DuckDB loads only when the warehouse is used, not at CLI start-up

        return Lake(self.db, self.catalog, self.data_path, self.catalog_schema)

    @property
    def gx_dir(self) -> Path:
        return self.data_dir / "gx"


def load_settings(**flags: object) -> Settings:
    """Settings with the given command-line flags on top; flags left as None do not override."""
    return Settings(**{name: value for name, value in flags.items() if value is not None})
