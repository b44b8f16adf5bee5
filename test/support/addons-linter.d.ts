/** The part of addons-linter's Node API (README, "Linter API Usage") the tests use; it ships no types. */
declare module 'addons-linter' {
  export interface LinterMessage {
    code: string;
    message: string;
    description: string | string[];
    file?: string;
    line?: number;
    column?: number;
  }

  export interface LinterResult {
    errors: LinterMessage[];
    warnings: LinterMessage[];
    notices: LinterMessage[];
    summary: { errors: number; warnings: number; notices: number };
  }

  export interface LinterConfig {
    _: string[];
    logLevel: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
    stack: boolean;
    pretty: boolean;
    warningsAsErrors: boolean;
    metadata: boolean;
    output: 'none' | 'json' | 'text';
    boring: boolean;
    selfHosted: boolean;
    enterprise: boolean;
    privileged: boolean;
    enableBackgroundServiceWorker: boolean;
    minManifestVersion: number;
    maxManifestVersion: number;
    disableXpiAutoclose: boolean;
    enableDataCollectionPermissions: boolean;
    shouldScanFile?: (fileName: string) => boolean;
  }

  const linter: {
    createInstance(options: { config: LinterConfig; runAsBinary: boolean }): {
      run(): Promise<LinterResult>;
    };
  };
  export default linter;
}
