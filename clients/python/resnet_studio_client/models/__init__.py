""" Contains all the data models used in inputs/outputs """

from .api_key import ApiKey
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_page import ApiKeyPage
from .architecture import Architecture
from .architecture_info import ArchitectureInfo
from .architecture_list import ArchitectureList
from .audit_event import AuditEvent
from .audit_event_page import AuditEventPage
from .averages import Averages
from .better import Better
from .center_crop_option import CenterCropOption
from .class_differences import ClassDifferences
from .class_evaluation import ClassEvaluation
from .color_jitter_option import ColorJitterOption
from .comparison import Comparison
from .confusion_matrix import ConfusionMatrix
from .dataset import Dataset
from .dataset_class_counts_type_0 import DatasetClassCountsType0
from .dataset_create import DatasetCreate
from .dataset_error import DatasetError
from .dataset_image import DatasetImage
from .dataset_links import DatasetLinks
from .dataset_page import DatasetPage
from .dataset_status import DatasetStatus
from .datasets_upload_body import DatasetsUploadBody
from .difference import Difference
from .differences import Differences
from .differences_metrics import DifferencesMetrics
from .epoch_metrics import EpochMetrics
from .evaluation import Evaluation
from .export_format import ExportFormat
from .family import Family
from .field_error import FieldError
from .grayscale_option import GrayscaleOption
from .health import Health
from .image_net_weights_info import ImageNetWeightsInfo
from .image_page import ImagePage
from .image_spec import ImageSpec
from .image_stats import ImageStats
from .indexing_progress import IndexingProgress
from .job_error import JobError
from .job_status import JobStatus
from .label_probability import LabelProbability
from .log_line import LogLine
from .log_page import LogPage
from .lr_schedule import LrSchedule
from .metrics_list import MetricsList
from .mixed_precision import MixedPrecision
from .model import Model
from .model_create import ModelCreate
from .model_links import ModelLinks
from .model_metrics_type_0 import ModelMetricsType0
from .model_page import ModelPage
from .model_status import ModelStatus
from .models_predict_files_body import ModelsPredictFilesBody
from .optimizer import Optimizer
from .output_format import OutputFormat
from .pad_option import PadOption
from .predict_request import PredictRequest
from .predict_response import PredictResponse
from .prediction import Prediction
from .prediction_probabilities_type_0 import PredictionProbabilitiesType0
from .problem import Problem
from .project import Project
from .project_create import ProjectCreate
from .project_page import ProjectPage
from .project_quotas import ProjectQuotas
from .project_update import ProjectUpdate
from .quota import Quota
from .quota_limits import QuotaLimits
from .quota_usage import QuotaUsage
from .random_affine_option import RandomAffineOption
from .random_crop_option import RandomCropOption
from .random_erasing_option import RandomErasingOption
from .random_grayscale_option import RandomGrayscaleOption
from .random_horizontal_flip_option import RandomHorizontalFlipOption
from .random_perspective_option import RandomPerspectiveOption
from .random_resized_crop_option import RandomResizedCropOption
from .random_rotation_option import RandomRotationOption
from .random_vertical_flip_option import RandomVerticalFlipOption
from .readiness import Readiness
from .resize_option import ResizeOption
from .role import Role
from .scored_image import ScoredImage
from .scored_image_page import ScoredImagePage
from .scored_image_probabilities import ScoredImageProbabilities
from .scoring_failure import ScoringFailure
from .scoring_failure_page import ScoringFailurePage
from .scoring_job import ScoringJob
from .scoring_job_create import ScoringJobCreate
from .scoring_job_links import ScoringJobLinks
from .scoring_job_page import ScoringJobPage
from .scoring_output import ScoringOutput
from .scoring_progress import ScoringProgress
from .skipped_file import SkippedFile
from .skipped_page import SkippedPage
from .source_format import SourceFormat
from .source_weights import SourceWeights
from .split_request import SplitRequest
from .split_result import SplitResult
from .stop_reason import StopReason
from .sub_status import SubStatus
from .training_job import TrainingJob
from .training_job_create import TrainingJobCreate
from .training_job_links import TrainingJobLinks
from .training_job_page import TrainingJobPage
from .training_progress import TrainingProgress
from .transform import Transform
from .transform_create import TransformCreate
from .transform_links import TransformLinks
from .transform_page import TransformPage
from .transition import Transition

__all__ = (
    "ApiKey",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPage",
    "Architecture",
    "ArchitectureInfo",
    "ArchitectureList",
    "AuditEvent",
    "AuditEventPage",
    "Averages",
    "Better",
    "CenterCropOption",
    "ClassDifferences",
    "ClassEvaluation",
    "ColorJitterOption",
    "Comparison",
    "ConfusionMatrix",
    "Dataset",
    "DatasetClassCountsType0",
    "DatasetCreate",
    "DatasetError",
    "DatasetImage",
    "DatasetLinks",
    "DatasetPage",
    "DatasetStatus",
    "DatasetsUploadBody",
    "Difference",
    "Differences",
    "DifferencesMetrics",
    "EpochMetrics",
    "Evaluation",
    "ExportFormat",
    "Family",
    "FieldError",
    "GrayscaleOption",
    "Health",
    "ImageNetWeightsInfo",
    "ImagePage",
    "ImageSpec",
    "ImageStats",
    "IndexingProgress",
    "JobError",
    "JobStatus",
    "LabelProbability",
    "LogLine",
    "LogPage",
    "LrSchedule",
    "MetricsList",
    "MixedPrecision",
    "Model",
    "ModelCreate",
    "ModelLinks",
    "ModelMetricsType0",
    "ModelPage",
    "ModelsPredictFilesBody",
    "ModelStatus",
    "Optimizer",
    "OutputFormat",
    "PadOption",
    "Prediction",
    "PredictionProbabilitiesType0",
    "PredictRequest",
    "PredictResponse",
    "Problem",
    "Project",
    "ProjectCreate",
    "ProjectPage",
    "ProjectQuotas",
    "ProjectUpdate",
    "Quota",
    "QuotaLimits",
    "QuotaUsage",
    "RandomAffineOption",
    "RandomCropOption",
    "RandomErasingOption",
    "RandomGrayscaleOption",
    "RandomHorizontalFlipOption",
    "RandomPerspectiveOption",
    "RandomResizedCropOption",
    "RandomRotationOption",
    "RandomVerticalFlipOption",
    "Readiness",
    "ResizeOption",
    "Role",
    "ScoredImage",
    "ScoredImagePage",
    "ScoredImageProbabilities",
    "ScoringFailure",
    "ScoringFailurePage",
    "ScoringJob",
    "ScoringJobCreate",
    "ScoringJobLinks",
    "ScoringJobPage",
    "ScoringOutput",
    "ScoringProgress",
    "SkippedFile",
    "SkippedPage",
    "SourceFormat",
    "SourceWeights",
    "SplitRequest",
    "SplitResult",
    "StopReason",
    "SubStatus",
    "TrainingJob",
    "TrainingJobCreate",
    "TrainingJobLinks",
    "TrainingJobPage",
    "TrainingProgress",
    "Transform",
    "TransformCreate",
    "TransformLinks",
    "TransformPage",
    "Transition",
)
