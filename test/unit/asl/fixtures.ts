/** Realistic, valid definitions (each also accepted by asl-validator itself, see the tests). */

export const ORDER_WORKFLOW = {
  Comment: 'Order processing: every state type, JSONPath',
  StartAt: 'Validate',
  TimeoutSeconds: 3600,
  States: {
    Validate: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:validate-order', 'Payload.$': '$' },
      ResultSelector: { 'order.$': '$.Payload' },
      ResultPath: '$.validated',
      Retry: [
        { ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
      Next: 'IsPriority',
    },
    IsPriority: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.validated.order.priority', StringEquals: 'high', Next: 'FanOut' },
        { And: [{ Variable: '$.validated.order.total', NumericGreaterThan: 1000 }, { Variable: '$.validated.order.vip', BooleanEquals: true }], Next: 'FanOut' },
        { Not: { Variable: '$.validated.order.items', IsPresent: true }, Next: 'Failed' },
      ],
      Default: 'Hold',
    },
    Hold: { Type: 'Wait', Seconds: 30, Next: 'FanOut' },
    FanOut: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Reserve',
          States: {
            Reserve: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'reservations', Item: { 'id.$': "States.Format('r-{}', $.validated.order.id)" } }, End: true },
          },
        },
        {
          StartAt: 'Notify',
          States: {
            Notify: {
              Type: 'Task',
              Resource: 'arn:aws:states:::http:invoke',
              Parameters: {
                ApiEndpoint: 'https://api.example.com/notify',
                Method: 'POST',
                Authentication: { ConnectionArn: 'arn:aws:events:eu-west-1:123456789012:connection/notify/0f1e2d3c' },
                'RequestBody.$': '$.validated.order',
              },
              Retry: [{ ErrorEquals: ['States.Http.StatusCode.429'], MaxAttempts: 3 }],
              End: true,
            },
          },
        },
      ],
      ResultPath: '$.fanout',
      Next: 'ShipItems',
    },
    ShipItems: {
      Type: 'Map',
      ItemsPath: '$.validated.order.items',
      MaxConcurrency: 4,
      ItemSelector: { 'sku.$': '$$.Map.Item.Value.sku', 'orderId.$': '$.validated.order.id' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Ship',
        States: {
          Ship: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:ship-item', TimeoutSeconds: 60, HeartbeatSeconds: 10, Next: 'Shipped' },
          Shipped: { Type: 'Pass', Result: { shipped: true }, End: true },
        },
      },
      ResultPath: '$.shipping',
      Next: 'Summarize',
    },
    Summarize: { Type: 'Pass', Parameters: { 'orderId.$': '$.validated.order.id', status: 'done' }, Next: 'Done' },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail', Error: 'OrderFailed', Cause: 'The order could not be processed.' },
  },
};

export const JSONATA_WORKFLOW = {
  Comment: 'The same kind of workflow in JSONata',
  QueryLanguage: 'JSONata',
  StartAt: 'Fetch',
  States: {
    Fetch: {
      Type: 'Task',
      Resource: 'arn:aws:states:::http:invoke',
      Arguments: {
        ApiEndpoint: 'https://api.example.com/orders',
        Method: 'GET',
        Authentication: { ConnectionArn: 'arn:aws:events:eu-west-1:123456789012:connection/orders/1a2b3c4d' },
        QueryParameters: { id: '{% $states.input.orderId %}' },
      },
      Assign: { orderId: '{% $states.input.orderId %}' },
      Output: '{% $states.result.ResponseBody %}',
      Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Broken' }],
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [{ Condition: '{% $states.input.total > 100 %}', Next: 'Pause' }],
      Default: 'Shape',
    },
    Pause: { Type: 'Wait', Seconds: '{% $states.input.delay ? $states.input.delay : 5 %}', Next: 'Shape' },
    Shape: { Type: 'Pass', Output: { id: '{% $orderId %}', lines: '{% $count($states.input.lines) %}' }, Next: 'Lines' },
    Lines: {
      Type: 'Map',
      Items: '{% $states.input.lines %}',
      ItemProcessor: {
        StartAt: 'Price',
        States: {
          Price: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'price-line', Payload: '{% $states.input %}' }, Output: '{% $states.result.Payload %}', End: true },
        },
      },
      Next: 'Ok',
    },
    Ok: { Type: 'Succeed' },
    Broken: { Type: 'Fail', Error: 'FetchFailed', Cause: 'The order service did not answer.' },
  },
};
