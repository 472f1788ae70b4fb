from ninja import NinjaAPI

api = NinjaAPI(title="Guanjia API", version="1", urls_namespace="api")
