"""Typed settings of the Serve application; ``ray_config.yaml`` fills them in.

Every deployment moves to GPUs with one key, ``num_gpus``: the device
(``cuda`` vs ``cpu``), fp16 and the reranker's TensorRT backend follow from it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DeploymentSettings(_Settings):
    num_replicas: int = Field(1, ge=1)
    num_cpus: float = Field(0.25, ge=0)
    num_gpus: float = Field(0.0, ge=0)
    max_ongoing_requests: int = Field(64, ge=1)
    # Requests queued beyond this are refused (503 + Retry-After) instead of piling up.
    max_queued_requests: int = Field(256, ge=-1)

    @property
    def device(self) -> str:
        return "cuda" if self.num_gpus > 0 else "cpu"

    def serve_options(self) -> dict:
        return {
            "num_replicas": self.num_replicas,
            "max_ongoing_requests": self.max_ongoing_requests,
            "max_queued_requests": self.max_queued_requests,
            "ray_actor_options": {"num_cpus": self.num_cpus, "num_gpus": self.num_gpus},
        }


class BatchingSettings(DeploymentSettings):
    max_batch_size: int = Field(32, ge=1)
    batch_wait_timeout_s: float = Field(0.005, ge=0)
    cpu_threads: int = Field(1, ge=1, description="torch / ONNX Runtime threads per CPU replica")


class EmbedderSettings(BatchingSettings):
    pass


class RetrieverSettings(DeploymentSettings):
    index_version: str = "stable"


class RerankerSettings(BatchingSettings):
    max_batch_size: int = Field(4, ge=1, description="search requests (each up to rerank_candidates pairs) per engine call")
    backend: str = Field("auto", pattern="^(auto|tensorrt|onnxruntime|torch)$")
    version: str = "stable"


class IngressSettings(DeploymentSettings):
    max_ongoing_requests: int = Field(128, ge=1)
    max_queued_requests: int = Field(512, ge=-1)
    rerank_candidates: int = Field(30, ge=1, le=500)
    stage_timeout_s: float = Field(10.0, gt=0, description="a stage slower than this answers 503")


class AppSettings(_Settings):
    registry_root: str | None = None
    embedder: EmbedderSettings = EmbedderSettings()
    retriever: RetrieverSettings = RetrieverSettings()
    reranker: RerankerSettings = RerankerSettings()
    ingress: IngressSettings = IngressSettings()
