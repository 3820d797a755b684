"""The registered model as code (MLflow's models-from-code).

Not imported by the package: ``training.lifecycle.registry`` logs this file as the pyfunc's
``python_model``, MLflow copies it beside the artifacts and runs it when the model is
loaded. It only names the class installed with the package, so the joblib of the fitted
model, checked before it is unpickled, is the only pickle in a model's folder.
"""

from mlflow.models import set_model

from training.model.pyfunc import ConcernScreenerPyfunc

set_model(ConcernScreenerPyfunc())
