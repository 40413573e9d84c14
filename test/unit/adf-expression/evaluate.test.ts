import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateAdfString,
  evaluateAdfValue,
  ExpressionEvaluationError,
  tryEvaluateAdfValue,
  type AdfEvalContext,
} from '../../../src/core/adf/expression/evaluate';

function context(extra: Partial<AdfEvalContext> = {}): AdfEvalContext {
  const outputs: Record<string, unknown> = {
    Lookup1: { firstRow: { col: 7, Name: 'first' }, count: 2, value: [{ id: 'a' }, { id: 'b' }] },
    Web1: { data: { status: 'ok' } },
  };
  return {
    pipeline: {
      parameters: { x: 'X', myNumber: 42, myString: 'foo', obj: { a: 1, b: [true, null] }, list: 'a,b,c', firstName: 'Ada', lastName: 'Lovelace' },
      globalParameters: { environment: 'dev' },
      RunId: '8f1c2a3b-0000-4000-8000-000000000001',
      Pipeline: 'RetrainModel',
      DataFactory: 'adf-analytics-dev',
      TriggerTime: '2026-11-23T12:00:00.0000000Z',
      TriggerType: 'Manual',
    },
    variables: { v: 'x', counter: 3, items: ['p', 'q'] },
    activityOutputs: (name) => outputs[name],
    now: () => new Date('2018-04-15T13:00:00Z'),
    random: () => 0.5,
    ...extra,
  };
}

const ev = (s: string, extra?: Partial<AdfEvalContext>): unknown => evaluateAdfString(s, context(extra));

function evalError(s: string, extra?: Partial<AdfEvalContext>): ExpressionEvaluationError {
  try {
    ev(s, extra);
  } catch (e) {
    assert.ok(e instanceof ExpressionEvaluationError, `expected ExpressionEvaluationError, got ${String(e)}`);
    assert.equal(e.code, 'InvalidTemplate');
    return e;
  }
  assert.fail(`expected ${s} to fail`);
}

test('the documented interpolation table (myNumber = 42, myString = foo)', () => {
  assert.equal(ev('@pipeline().parameters.myString'), 'foo');
  assert.equal(ev('@{pipeline().parameters.myString}'), 'foo');
  assert.equal(ev('@pipeline().parameters.myNumber'), 42);
  assert.equal(ev('@{pipeline().parameters.myNumber}'), '42');
  assert.equal(ev('Answer is: @{pipeline().parameters.myNumber}'), 'Answer is: 42');
  assert.equal(ev("@concat('Answer is: ', string(pipeline().parameters.myNumber))"), 'Answer is: 42');
  assert.equal(ev('Answer is: @@{pipeline().parameters.myNumber}'), 'Answer is: @{pipeline().parameters.myNumber}');
  assert.equal(ev('@@'), '@');
  assert.equal(ev(' @'), ' @');
  assert.equal(ev('First Name: @{pipeline().parameters.firstName} Last Name: @{pipeline().parameters.lastName}'), 'First Name: Ada Last Name: Lovelace');
});

test('the brief examples', () => {
  assert.equal(ev("@concat('a', pipeline().parameters.x)"), 'aX');
  assert.equal(ev('@{pipeline().RunId}'), '8f1c2a3b-0000-4000-8000-000000000001');
  assert.equal(ev('@@literal'), '@literal');
  assert.equal(ev("@activity('Lookup1').output.firstRow.col"), 7);
  assert.equal(ev('@item().name', { item: { name: 'it' } }), 'it');
  assert.equal(ev("@if(equals(variables('v'),'x'), 'a', 'b')"), 'a');
  assert.equal(ev("@if(equals(variables('v'),'X'), 'a', 'b')"), 'b');
  assert.equal(ev("@formatDateTime(utcNow(), 'yyyy-MM-dd')"), '2018-04-15');
  assert.deepEqual(ev('@json(string(pipeline().parameters.obj))'), { a: 1, b: [true, null] });
});

test('interpolation stringifies objects as JSON, booleans as True/False, null as empty', () => {
  assert.equal(ev('obj=@{pipeline().parameters.obj}'), 'obj={"a":1,"b":[true,null]}');
  assert.equal(ev('@{equals(1, 1)}|@{null}|@{createArray(1, 2)}'), 'True||[1,2]');
  assert.equal(ev('@string(false)'), 'False');
});

test('the docs dynamic-content example: interpolations inside a JSON text', () => {
  const v = "{ \n  \"type\": \"@{if(equals(1, 2), 'Blob', 'Table' )}\",\n  \"name\": \"@{toUpper('myData')}\"\n}";
  assert.deepEqual(JSON.parse(ev(v) as string), { type: 'Table', name: 'MYDATA' });
});

test('system variables and global parameters', () => {
  assert.equal(ev('@pipeline().Pipeline'), 'RetrainModel');
  assert.equal(ev('@pipeline().DataFactory'), 'adf-analytics-dev');
  assert.equal(ev('@pipeline().TriggerTime'), '2026-11-23T12:00:00.0000000Z');
  assert.equal(ev('@pipeline().globalParameters.environment'), 'dev');
  assert.equal(ev('@pipeline().runid'), '8f1c2a3b-0000-4000-8000-000000000001', 'property names ignore case');
});

test('property, index and null-safe access', () => {
  assert.equal(ev("@activity('Lookup1').output.value[1].id"), 'b');
  assert.equal(ev("@activity('Lookup1').output['count']"), 2);
  assert.equal(ev("@activity('Lookup1').output?.missing"), null);
  assert.equal(ev("@activity('Lookup1').output?['missing']?.deeper"), null);
  assert.equal(ev("@activity('Lookup1').output.value?[5]"), null);
  assert.equal(ev("@split(pipeline().parameters.list, ',')[2]"), 'c');
  assert.equal(ev("@activity('Web1').output.data.status"), 'ok');
});

test('string functions', () => {
  assert.equal(ev("@concat('Baba', '''s ', 'book store')"), "Baba's book store");
  assert.equal(ev("@concat('n=', 5, true, null)"), 'n=5True');
  assert.equal(ev("@substring('hello world', 6, 5)"), 'world');
  assert.equal(ev("@substring('hello world', 6)"), 'world');
  assert.equal(ev("@replace('the old string', 'old', 'new')"), 'the new string');
  assert.equal(ev("@replace('a.b.c', '.', '/')"), 'a/b/c');
  assert.equal(ev("@toLower('Hello World')"), 'hello world');
  assert.equal(ev("@toUpper('Hello World')"), 'HELLO WORLD');
  assert.equal(ev("@trim(' Hello World  ')"), 'Hello World');
  assert.equal(ev("@indexOf('hello world', 'WORLD')"), 6);
  assert.equal(ev("@lastIndexOf('hello world world', 'world')"), 12);
  assert.equal(ev("@indexOf('hello', 'z')"), -1);
  assert.equal(ev("@startsWith('hello world', 'HELLO')"), true);
  assert.equal(ev("@endsWith('hello world', 'universe')"), false);
  assert.deepEqual(ev("@split('a_b_c', '_')"), ['a', 'b', 'c']);
  assert.equal(ev("@guid()"), '80808080-8080-4080-8080-808080808080');
  assert.equal(ev("@guid('N')"), '80808080808040808080808080808080');
  assert.equal(ev("@guid('P')"), '(80808080-8080-4080-8080-808080808080)');
});

test('collection functions', () => {
  assert.equal(ev("@contains('hello world', 'world')"), true);
  assert.equal(ev("@contains('hello world', 'World')"), false, 'case-sensitive');
  assert.equal(ev("@contains(createArray('a', 'b'), 'b')"), true);
  assert.equal(ev("@contains(pipeline().parameters.obj, 'a')"), true);
  assert.equal(ev("@contains(createArray(json('{\"k\":1}')), json('{\"k\":1}'))"), true, 'deep equality');
  assert.equal(ev("@empty('')"), true);
  assert.equal(ev("@empty('abc')"), false);
  assert.equal(ev('@empty(createArray())'.replace('createArray()', "json('[]')")), true);
  assert.equal(ev("@empty(json('{}'))"), true);
  assert.equal(ev("@empty(null)"), true);
  assert.equal(ev("@first('hello')"), 'h');
  assert.equal(ev('@first(createArray(0, 1, 2))'), 0);
  assert.equal(ev("@last('abcd')"), 'd');
  assert.equal(ev('@last(createArray(0, 1, 2, 3))'), 3);
  assert.deepEqual(ev('@intersection(createArray(1, 2, 3), createArray(101, 2, 1, 10), createArray(6, 8, 1, 2))'), [1, 2]);
  assert.deepEqual(ev('@union(createArray(1, 2, 3), createArray(1, 2, 10, 101))'), [1, 2, 3, 10, 101]);
  assert.deepEqual(ev("@union(json('{\"a\":1,\"b\":2}'), json('{\"b\":3}'))"), { a: 1, b: 3 });
  assert.equal(ev("@join(createArray('a', 'b', 'c'), '.')"), 'a.b.c');
  assert.equal(ev("@length('abcd')"), 4);
  assert.equal(ev('@length(createArray(0, 1, 2, 3))'), 4);
  assert.deepEqual(ev('@skip(createArray(0, 1, 2, 3), 1)'), [1, 2, 3]);
  assert.equal(ev("@take('abcde', 3)"), 'abc');
  assert.deepEqual(ev('@take(createArray(0, 1, 2, 3, 4), 3)'), [0, 1, 2]);
  assert.deepEqual(ev("@variables('items')"), ['p', 'q']);
});

test('logical functions: deep, case-sensitive equality; lazy if/and/or', () => {
  assert.equal(ev('@equals(true, 1)'), true, 'documented: true equals 1');
  assert.equal(ev("@equals('abc', 'abcd')"), false);
  assert.equal(ev("@equals('abc', 'ABC')"), false);
  assert.equal(ev("@equals(json('{\"a\":[1,2]}'), json('{\"a\":[1,2]}'))"), true);
  assert.equal(ev("@equals(json('{\"a\":[1,2]}'), json('{\"a\":[2,1]}'))"), false);
  assert.equal(ev("@equals('1', 1)"), false);
  assert.equal(ev('@greater(10, 5)'), true);
  assert.equal(ev("@greater('apple', 'banana')"), false);
  assert.equal(ev('@greaterOrEquals(5, 5)'), true);
  assert.equal(ev('@less(5, 10)'), true);
  assert.equal(ev("@lessOrEquals('apply', 'apple')"), false);
  assert.equal(ev('@and(equals(1, 1), equals(2, 2))'), true);
  assert.equal(ev('@and(equals(1, 1), equals(1, 2))'), false);
  assert.equal(ev('@or(equals(1, 2), equals(1, 3))'), false);
  assert.equal(ev('@not(equals(1, 2))'), true);
  // The branch not taken is not evaluated (it would fail: index out of range).
  assert.equal(ev("@if(empty(json('[]')), 'none', first(json('[]'))[0])"), 'none');
  assert.equal(ev("@or(true, int('x'))"), true);
  assert.equal(ev("@and(false, int('x'))"), false);
});

test('conversion functions', () => {
  assert.deepEqual(ev("@array('hello')"), ['hello']);
  assert.equal(ev("@base64('hello')"), 'aGVsbG8=');
  assert.equal(ev("@base64ToString('aGVsbG8=')"), 'hello');
  assert.equal(ev("@decodeBase64('aGVsbG8=')"), 'hello');
  assert.equal(ev('@bool(1)'), true);
  assert.equal(ev('@bool(0)'), false);
  assert.equal(ev("@bool('TRUE')"), true);
  assert.equal(ev("@coalesce(null, 'hello', 'world')"), 'hello');
  assert.equal(ev('@coalesce(null, null, null)'), null);
  assert.deepEqual(ev("@createArray('h', 'e', 'l', 'l', 'o')"), ['h', 'e', 'l', 'l', 'o']);
  assert.equal(ev("@dataUri('hello')"), 'data:text/plain;charset=utf-8;base64,aGVsbG8=');
  assert.equal(ev("@dataUriToString('data:text/plain;charset=utf-8;base64,aGVsbG8=')"), 'hello');
  assert.deepEqual(ev("@binary('hello')"), { '$content-type': 'application/octet-stream', $content: 'aGVsbG8=' });
  assert.equal(ev("@float('10.333')"), 10.333);
  assert.equal(ev("@int('10')"), 10);
  assert.deepEqual(ev("@json('[1, 2, 3]')"), [1, 2, 3]);
  assert.deepEqual(ev("@json('{\"fullName\": \"Sophia Owen\"}')"), { fullName: 'Sophia Owen' });
  assert.equal(ev('@string(10)'), '10');
  assert.equal(ev("@uriComponent('https://contoso.com')"), 'https%3A%2F%2Fcontoso.com');
  assert.equal(ev("@encodeUriComponent('a b!(c)')"), 'a%20b%21%28c%29');
  assert.equal(ev("@uriComponentToString('http%3A%2F%2Fcontoso.com')"), 'http://contoso.com');
  assert.equal(ev("@decodeUriComponent('http%3A%2F%2Fcontoso.com')"), 'http://contoso.com');
  assert.equal(ev("@uriComponentToString(replace(uriComponent(concat('Contoso-', base64ToString('Cg=='), 'Corporation')), '%0A', ''))"), 'Contoso-Corporation');
});

test('math functions: integer arithmetic stays integer, div of integers truncates', () => {
  assert.equal(ev('@add(1, 1.5)'), 2.5);
  assert.equal(ev('@add(2, 3)'), 5);
  assert.equal(ev('@div(10, 5)'), 2);
  assert.equal(ev('@div(11, 5)'), 2);
  assert.equal(ev('@div(-11, 5)'), -2);
  assert.equal(ev('@div(7.5, 2.5)'), 3);
  assert.equal(ev('@div(5, 2.0)'), 2, 'a whole float is treated as an integer (documented limitation)');
  assert.equal(ev('@mod(3, 2)'), 1);
  assert.equal(ev('@mul(1.5, 2)'), 3);
  assert.equal(ev('@sub(10, 3)'), 7);
  assert.equal(ev('@max(1, 2, 3)'), 3);
  assert.equal(ev('@min(createArray(1, 2, 3))'), 1);
  assert.deepEqual(ev('@range(1, 4)'), [1, 2, 3, 4]);
  assert.deepEqual(ev('@range(0, 0)'), []);
  assert.equal(ev('@rand(1, 5)'), 3);
  assert.equal(ev('@rand(1, 5)', { random: () => 0 }), 1);
  assert.equal(ev('@rand(1, 5)', { random: () => 0.9999 }), 4);
});

test('date functions (clock injected: 2018-04-15T13:00:00Z)', () => {
  assert.equal(ev('@utcNow()'), '2018-04-15T13:00:00.0000000Z');
  assert.equal(ev("@utcNow('D')"), 'Sunday, April 15, 2018');
  assert.equal(ev("@addDays('2018-03-15T13:00:00Z', 10)"), '2018-03-25T13:00:00.0000000Z');
  assert.equal(ev("@addDays('2018-03-15T00:00:00Z', -5)"), '2018-03-10T00:00:00.0000000Z');
  assert.equal(ev("@addHours('2018-03-15T15:00:00Z', -5)"), '2018-03-15T10:00:00.0000000Z');
  assert.equal(ev("@addMinutes('2018-03-15T00:10:00Z', 10)"), '2018-03-15T00:20:00.0000000Z');
  assert.equal(ev("@addSeconds('2018-03-15T00:00:30Z', -5)"), '2018-03-15T00:00:25.0000000Z');
  assert.equal(ev("@addToTime('2018-01-01T00:00:00Z', 1, 'Day')"), '2018-01-02T00:00:00.0000000Z');
  assert.equal(ev("@addToTime('2018-01-01T00:00:00Z', 1, 'Day', 'D')"), 'Tuesday, January 2, 2018');
  assert.equal(ev("@subtractFromTime('2018-01-02T00:00:00Z', 1, 'Day')"), '2018-01-01T00:00:00.0000000Z');
  assert.equal(ev("@getFutureTime(5, 'Day')"), '2018-04-20T13:00:00.0000000Z');
  assert.equal(ev("@getPastTime(5, 'Day')", { now: () => new Date('2018-02-01T00:00:00Z') }), '2018-01-27T00:00:00.0000000Z');
  assert.equal(ev("@getPastTime(5, 'Day', 'D')", { now: () => new Date('2018-02-01T00:00:00Z') }), 'Saturday, January 27, 2018');
  assert.equal(ev("@dayOfMonth('2018-03-15T13:27:36Z')"), 15);
  assert.equal(ev("@dayOfWeek('2018-03-15T13:27:36Z')"), 4, '2018-03-15 is a Thursday (Sunday = 0)');
  assert.equal(ev("@dayOfYear('2018-03-15T13:27:36Z')"), 74);
  assert.equal(ev("@formatDateTime('03/15/2018 12:00:00', 'yyyy-MM-ddTHH:mm:ss')"), '2018-03-15T12:00:00');
  assert.equal(ev("@startOfDay('2018-03-15T13:30:30Z')"), '2018-03-15T00:00:00.0000000Z');
  assert.equal(ev("@startOfHour('2018-03-15T13:30:30Z')"), '2018-03-15T13:00:00.0000000Z');
  assert.equal(ev("@startOfMonth('2018-03-15T13:30:30Z')"), '2018-03-01T00:00:00.0000000Z');
  assert.equal(ev("@ticks('2018-03-15T13:27:36Z')"), 636567172560000000);
  assert.equal(ev("@convertFromUtc('2018-01-01T08:00:00.0000000Z', 'Pacific Standard Time', 'D')"), 'Monday, January 1, 2018');
  assert.equal(ev("@convertTimeZone('2018-01-01T08:00:00.0000000Z', 'UTC', 'Pacific Standard Time')"), '2018-01-01T00:00:00.0000000');
  assert.equal(ev("@convertToUtc('01/01/2018 00:00:00', 'Pacific Standard Time')"), '2018-01-01T08:00:00.0000000Z');
  assert.equal(ev("@concat('Test_', formatDateTime(utcnow(), 'yyyy-dd-MM'))"), 'Test_2018-15-04');
});

test('evaluateAdfValue walks objects and arrays and replaces Expression objects', () => {
  const input = {
    url: 'https://example.invalid/@@notanexpression',
    method: 'POST',
    headers: { 'x-correlation-id': '@{pipeline().parameters.x}', '@key': 'keys are not evaluated' },
    body: { value: "{\"id\":\"@{pipeline().RunId}\",\"n\":@{add(1, 2)},\"ok\":@{toLower(string(true))}}", type: 'Expression' },
    retries: 3,
    list: ['@variables(\'counter\')', { nested: { value: '@pipeline().parameters.obj', type: 'expression' } }],
  };
  const snapshot = JSON.stringify(input);
  const out = evaluateAdfValue(input, context());
  assert.deepEqual(out, {
    url: 'https://example.invalid/@@notanexpression',
    method: 'POST',
    headers: { 'x-correlation-id': 'X', '@key': 'keys are not evaluated' },
    body: '{"id":"8f1c2a3b-0000-4000-8000-000000000001","n":3,"ok":true}',
    retries: 3,
    list: [3, { nested: { a: 1, b: [true, null] } }],
  });
  assert.equal(JSON.stringify(input), snapshot, 'the input is not modified');
});

// ---- Errors: typed, located, worded like ADF

test("int('x') fails with ADF's wording and the call's range", () => {
  const e = evalError("@int('x')");
  assert.match(e.message, /^The function 'int' was invoked with a parameter that is not valid\./);
  assert.deepEqual([e.offset, e.length], [1, 8]);
  assert.equal(e.source, "@int('x')");
});

test('missing property: lists the available ones and suggests ?.', () => {
  const e = evalError('@pipeline().parameters.nope');
  assert.match(e.message, /cannot be evaluated because property 'nope' doesn't exist, available properties are 'x, myNumber/);
  assert.match(e.message, /\?\.nope/);
  assert.deepEqual([e.offset, e.length], [1, 26]);
});

test('unknown activity, undeclared variable, item() outside ForEach', () => {
  assert.match(evalError("@activity('Nope').output").message, /activity 'Nope' can't be referenced/);
  assert.match(evalError("@variables('nope')").message, /variable 'nope' is not declared.*declared variables are: v, counter, items/);
  assert.match(evalError('@item()').message, /only be used inside a ForEach/);
  assert.equal(ev('@item()', { item: null }), null, 'a null item inside ForEach is fine');
});

test('type errors name the function, the parameter and the type', () => {
  assert.match(evalError("@add('1', 2)").message, /'add' expects its first parameter to be an integer or a decimal number\. The provided value is of type 'String'/);
  assert.match(evalError("@toUpper(1)").message, /'toUpper' expects its first parameter to be of type string/);
  assert.match(evalError("@if('yes', 1, 2)").message, /'if' expects its first parameter to be of type boolean/);
  assert.match(evalError("@greater(1, 'a')").message, /matching types/);
  assert.match(evalError('@not(1)').message, /'not' expects its first parameter to be of type boolean/);
});

test('runtime failures: division by zero, bad index, bad json, bad timestamp, bad zone, substring bounds', () => {
  assert.match(evalError('@div(1, 0)').message, /divide by zero/);
  assert.match(evalError('@mod(1, 0)').message, /divide by zero/);
  assert.match(evalError("@activity('Lookup1').output.value[5]").message, /array index '5' is outside bounds \(0, 1\) of array/);
  assert.match(evalError("@json('{bad')").message, /cannot be parsed as JSON/);
  assert.match(evalError("@addDays('not a date', 1)").message, /timestamp 'not a date' could not be parsed/);
  assert.match(evalError("@convertFromUtc(utcNow(), 'Mars Standard Time')").message, /time zone 'Mars Standard Time' is not known/);
  assert.match(evalError("@substring('abc', 2, 5)").message, /exceed the length of the string/);
  assert.match(evalError("@formatDateTime(utcNow(), 'Q')").message, /not a standard date format/);
  assert.match(evalError("@addToTime(utcNow(), 1, 'Fortnight')").message, /time unit 'Fortnight' is not valid/);
  assert.match(evalError('@range(0, -1)').message, /must not be negative/);
  assert.match(evalError('@rand(5, 5)').message, /must be less than/);
  assert.match(evalError("@pipeline().parameters.x.y").message, /Property selection is not supported on values of type 'String'/);
});

test('xml() and xpath() fail clearly as not emulated', () => {
  assert.match(evalError("@xml('<a/>')").message, /not supported by the sandbox/);
  assert.match(evalError("@xpath(pipeline().parameters.x, '/a')").message, /not supported by the sandbox/);
});

test('a value that does not parse fails with the parse error, located', () => {
  const e = evalError("@concat('a', 'b'");
  assert.match(e.message, /Unclosed parenthesis in call to concat/);
  assert.deepEqual([e.offset, e.length], [1, 7]);
  const u = evalError("@concatt('a')");
  assert.match(u.message, /Unknown function 'concatt'/);
});

test('errors inside an interpolation carry the offset within the whole string', () => {
  const e = evalError("id=@{int('x')}");
  assert.deepEqual([e.offset, e.length], [5, 8]);
});

test('tryEvaluateAdfValue reports instead of throwing', () => {
  const bad = tryEvaluateAdfValue({ a: ['@div(1, 0)'] }, context());
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.ok(bad.error instanceof ExpressionEvaluationError);
  const good = tryEvaluateAdfValue({ a: '@add(1, 1)' }, context());
  assert.deepEqual(good, { ok: true, value: { a: 2 } });
});

test('without an injected clock or randomness, utcNow and guid still work', () => {
  const ctx: AdfEvalContext = {};
  assert.match(String(evaluateAdfString('@utcNow()', ctx)), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
  assert.match(String(evaluateAdfString('@guid()', ctx)), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
