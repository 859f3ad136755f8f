/**
 * Names a template could use to climb from data to JavaScript: prototype members, function members,
 * Java reflection as Velocity users know it, and Node.js globals.
 */
export const javascriptNames: readonly string[] = [
  'constructor',
  '__proto__',
  'prototype',
  '__lookupGetter__',
  '__lookupSetter__',
  '__defineGetter__',
  '__defineSetter__',
  'call',
  'apply',
  'bind',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'getClass',
  'eval',
  'process',
  'mainModule',
  'require',
  'globalThis',
];
