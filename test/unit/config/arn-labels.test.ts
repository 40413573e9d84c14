/** The ARN helpers every edge uses to show a state machine or execution in one line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { executionLabel, formatArn, parseArn, stateMachineLabel, stateMachineName } from '../../../src/core/config/arn';

const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Orders';
const EXEC = 'arn:aws:states:eu-west-1:123456789012:execution:Orders:run-1';

describe('ARN labels', () => {
  it('names a state machine, with or without its version or alias', () => {
    assert.equal(stateMachineName(SM), 'Orders');
    assert.equal(stateMachineName(`${SM}:prod`), 'Orders');
    assert.equal(stateMachineLabel(`${SM}:prod`), 'Orders:prod');
    assert.equal(stateMachineLabel(SM), 'Orders');
    assert.equal(stateMachineName('arn:aws:iam::123456789012:role/r'), undefined);
    assert.equal(stateMachineLabel('not-an-arn'), 'not-an-arn');
  });

  it('shows an execution as machine:execution', () => {
    assert.equal(executionLabel(EXEC), 'Orders:run-1');
    assert.equal(executionLabel('arn:x:execution:M:c1'), 'M:c1');
  });

  it('formats parsed parts back into the same ARN, and a changed part in place', () => {
    const parts = parseArn(`${SM}:prod`)!;
    assert.equal(formatArn(parts), `${SM}:prod`);
    assert.equal(formatArn({ ...parts, partition: 'aws-cn' }), 'arn:aws-cn:states:eu-west-1:123456789012:stateMachine:Orders:prod');
  });
});
