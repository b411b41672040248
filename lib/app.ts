// The CDK app entry (cdk.json: "node --import tsx lib/app.ts"). No environment is set on the stack, so `cdk synth`
// needs neither AWS credentials nor a network; `cdk deploy` takes the account and region of the profile.
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../functions/errors.js';
import { buildApp } from './build-app.js';

const app = new App();
try {
  buildApp(app);
} catch (error) {
  // A configuration mistake is the user's to fix: show what to fix, not where in our code it was found.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
