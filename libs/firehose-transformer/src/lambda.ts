// The entry point the bundle script and CDK's NodejsFunction build into the function's index.js.
export { handler } from './handler';
