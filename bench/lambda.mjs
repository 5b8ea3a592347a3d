// `cargo xtask bench` part two: the Lambda's cold start. Lambda itself cannot be
// reached from here, so this is its Runtime API played locally (the same HTTP
// calls: `GET …/invocation/next`, `POST …/invocation/{id}/response`), serving the
// x86_64 build of the very binary the arm64 zip holds (`--profile lambda`, stripped).
// Each run starts the process cold and hands it one event: `GET /api/health` as an
// HTTP API behind CloudFront sends it (lambda-index/tests/fixtures/lambda/). It
// measures, from exec:
//   - init: until the runtime asks for its first event (what Lambda bills and
//     reports as Init Duration: everything `main` builds before serving);
//   - first answer: until the answer to that event arrives;
// and the process's peak RSS (VmHWM) then. Lambda's own sandbox adds its start on
// top; that part is not ours to make faster.
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

const BINARY = process.env.LAMBDA_BIN;
const ZIP = process.env.LAMBDA_ZIP;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const FIXTURE = new URL('../lambda-index/tests/fixtures/lambda/http-api-via-cloudfront.json', import.meta.url);

const event = JSON.parse(await readFile(FIXTURE, 'utf8'));
event.rawPath = '/api/health';
event.requestContext.http.path = '/api/health';
// As CloudFront forwards it: with the stack's secret header (lambda-index/src/origin.rs).
const ORIGIN_SECRET = 'ab'.repeat(32);
event.headers['x-shoebox-origin'] = ORIGIN_SECRET;
const body = JSON.stringify(event);

async function peakRssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/** One cold start: the timings and the answer the function gave. */
function coldStart() {
  return new Promise((resolve, reject) => {
    let started;
    let init;
    let child;
    const server = createServer(async (request, response) => {
      if (request.method === 'GET' && request.url.endsWith('/invocation/next')) {
        // One event per cold start: the runtime's next ask waits until it is killed.
        if (init !== undefined) return;
        init = performance.now() - started;
        response.writeHead(200, {
          'content-type': 'application/json',
          'lambda-runtime-aws-request-id': 'bench-1',
          'lambda-runtime-deadline-ms': String(Date.now() + 30_000),
          'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:shoebox-api',
          'lambda-runtime-trace-id': 'Root=1-6743a1c5-1b7e0a4c2f3d4e5f60718293',
        });
        response.end(body);
        return;
      }
      let text = '';
      for await (const chunk of request) text += chunk;
      const answered = performance.now() - started;
      response.writeHead(202).end();
      if (!request.url.endsWith('/invocation/bench-1/response')) {
        child.kill('SIGKILL');
        server.close();
        reject(new Error(`the function reported ${request.url}: ${text}`));
        return;
      }
      const rss = await peakRssMb(child.pid);
      child.kill('SIGKILL');
      server.close();
      resolve({ init, answered, rss, answer: JSON.parse(text) });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      started = performance.now();
      child = spawn(BINARY, [], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          PATH: process.env.PATH,
          AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
          AWS_LAMBDA_FUNCTION_NAME: 'shoebox-api',
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
          AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/shoebox-api',
          AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/24/[$LATEST]bench',
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          AWS_SESSION_TOKEN: 'bench',
          RUST_LOG: 'warn',
          SHOEBOX_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_EXAMPLE',
          SHOEBOX_CLIENT_ID: '1example23456789',
          SHOEBOX_BUCKET_URL: 'https://shoebox-media-example.s3.eu-west-1.amazonaws.com',
          SHOEBOX_CURSOR_KEY: '00'.repeat(32),
          SHOEBOX_ORIGIN_SECRET: ORIGIN_SECRET,
          SHOEBOX_TABLE: 'shoebox-example',
          SHOEBOX_SITE_URL: 'https://d111111abcdef8.cloudfront.net',
        },
      });
      child.on('exit', (code, signal) => {
        if (init === undefined || signal === null) {
          server.close();
          reject(new Error(`the function exited (${code ?? signal}) before answering`));
        }
      });
    });
  });
}

const runs = [];
for (let i = 0; i < RUNS; i += 1) runs.push(await coldStart());
const answer = runs[0].answer;
if (answer.statusCode !== 200 || JSON.parse(answer.body).status !== 'ok') {
  throw new Error(`unexpected answer: ${JSON.stringify(answer)}`);
}

const ms = (value) => `${value.toFixed(1)} ms`;
const row = (name, values, show, goal) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  console.log(`| ${name} | ${show(at(0.5))} | ${show(at(0.9))} | ${show(sorted.at(-1))} | ${goal} |`);
};
const zipBytes = (await stat(ZIP)).size;
console.log(`\nLambda cold start (x86_64 build of the arm64 binary, ${RUNS} cold starts, one GET /api/health each)\n`);
console.log('| measure | median | p90 | max | goal |');
console.log('|---|---:|---:|---:|---:|');
row('init (exec → asks for its first event)', runs.map((r) => r.init), ms, '≤ 20 ms');
row('first answer (exec → answer posted)', runs.map((r) => r.answered), ms, '');
row('peak RSS', runs.map((r) => r.rss), (mb) => `${mb.toFixed(1)} MB`, '≤ 20 MB');
console.log(`| zip (arm64 bootstrap.zip) | ${(zipBytes / 1e6).toFixed(2)} MB | | | ≤ 5 MB |`);
