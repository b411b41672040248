/**
 * `--function NAME`: the settings of a deployed stack, read from its function's environment
 * (GetFunctionConfiguration), so a command works against that stack without copying its variables.
 * The function's variables go over the process's; AWS_* variables (endpoints, credentials, region)
 * always stay the process's own.
 */
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describeError } from '../errors.js';

export async function readFunctionVariables(functionName: string): Promise<Record<string, string>> {
  const client = new LambdaClient({});
  try {
    const result = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return result.Environment?.Variables ?? {};
  } catch (error) {
    throw new Error(
      `could not read the configuration of function ${functionName} (lambda:GetFunctionConfiguration): ${describeError(error)}`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}

/** The process environment with the function's variables over it, AWS_* excepted. */
export function withFunctionVariables(env: NodeJS.ProcessEnv, variables: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const settings = Object.fromEntries(Object.entries(variables).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, ...settings };
}
