/**
 * The starting point "Bridge: New Bridge Config" writes: one link per trigger, every value a
 * well-formed placeholder, so the new file validates cleanly until the user changes it.
 */
export const NEW_CONFIG_TEMPLATE = `// A bridge config: links between Azure Data Factory pipelines and AWS Step Functions.
// Replace the placeholder ids and names with yours. Hover a key for its documentation.
{
  "version": 1,
  "azure": {
    "tenantId": "00000000-0000-0000-0000-000000000000",
    "subscriptionId": "00000000-0000-0000-0000-000000000000",
    "resourceGroup": "rg-analytics",
    "factory": "adf-analytics-dev",
    "cloud": "AzureCloud"
    // "repoRoot": "../adf"   // the factory's git folder (pipeline/, factory/ …): enables pipeline checks
  },
  "aws": {
    "accountId": "123456789012",
    "region": "eu-west-1",
    "partition": "aws"
  },
  "environments": {
    "dev": {},
    "prod": { "protected": true } // test runs in prod ask for confirmation
  },
  "links": {
    // An ADF Web activity calls an API Gateway route that starts the state machine.
    "adf-starts-state-machine": {
      "environment": "dev",
      "trigger": "adf-to-sfn",
      "adf": { "pipeline": "ExportOrders", "activity": "StartStateMachine" },
      "stateMachine": { "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:ProcessOrders" },
      "gateway": {
        "url": "https://abcde12345.execute-api.eu-west-1.amazonaws.com/prod/process-orders",
        "issuer": "https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
        "audience": "api://bridge-process-orders",
        "throttle": { "rateLimit": 10, "burstLimit": 20 }
      },
      "identity": { "awsRoleArn": "arn:aws:iam::123456789012:role/bridge-export-orders" },
      "correlation": { "adfParameter": "correlationId", "sfnInputPath": "$.correlationId" }
    },
    // The state machine starts an ADF pipeline run.
    "state-machine-starts-adf": {
      "environment": "dev",
      "trigger": "sfn-to-adf",
      "stateMachine": { "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:NightlyLoad" },
      "adf": { "pipeline": "LoadWarehouse" },
      "identity": { "awsRoleArn": "arn:aws:iam::123456789012:role/bridge-load-warehouse" }
    },
    // An upload to S3 starts the state machine.
    "upload-starts-state-machine": {
      "environment": "dev",
      "trigger": "s3-to-sfn",
      "s3": { "bucket": "analytics-landing-dev", "prefix": "incoming/", "suffix": ".csv" },
      "stateMachine": { "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:IngestUpload" },
      "identity": { "awsRoleArn": "arn:aws:iam::123456789012:role/bridge-ingest-upload" }
    }
  }
}
`;
