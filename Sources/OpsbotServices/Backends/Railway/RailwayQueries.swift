import OpsbotCore
import OpsbotSupport
/// Every GraphQL document the Railway backend sends. Kept in one place so that a test can
/// validate each of them against Railway's published introspection schema.
public enum RailwayQueries {
    public static let status = """
    query opsbotServiceStatus($environmentId: String!, $serviceId: String!) {
      serviceInstance(environmentId: $environmentId, serviceId: $serviceId) {
        serviceName
        numReplicas
        latestDeployment { id status createdAt updatedAt statusUpdatedAt instances { id status } }
      }
    }
    """

    public static let logs = """
    query opsbotDeploymentLogs($deploymentId: String!, $limit: Int) {
      deploymentLogs(deploymentId: $deploymentId, limit: $limit) { timestamp message severity }
    }
    """

    public static let restart = """
    mutation opsbotDeploymentRestart($id: String!) {
      deploymentRestart(id: $id)
    }
    """

    public static let redeploy = """
    mutation opsbotDeploymentRedeploy($id: String!) {
      deploymentRedeploy(id: $id) { id status }
    }
    """

    /// A restart's new container runs: both ends of the list, whose order the schema leaves open.
    public static let executions = """
    query opsbotInstanceExecutions($environmentId: String!, $serviceId: String!) {
      newest: deploymentInstanceExecutions(input: { environmentId: $environmentId, serviceId: $serviceId }, first: 20) {
        edges { node { id deploymentId status createdAt } }
      }
      oldest: deploymentInstanceExecutions(input: { environmentId: $environmentId, serviceId: $serviceId }, last: 20) {
        edges { node { id deploymentId status createdAt } }
      }
    }
    """

    public static let variables = """
    query opsbotVariables($projectId: String!, $environmentId: String!, $serviceId: String!) {
      variables(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId)
    }
    """

    public static let scale = """
    mutation opsbotScale($environmentId: String!, $serviceId: String!, $replicas: Int!) {
      serviceInstanceUpdate(environmentId: $environmentId, serviceId: $serviceId, input: { numReplicas: $replicas })
    }
    """

    public static let all: [String: String] = [
        "status": status, "logs": logs, "executions": executions, "restart": restart, "redeploy": redeploy, "variables": variables, "scale": scale,
    ]
}
