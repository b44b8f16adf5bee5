/**
 * The extension's identity, pinned by the manifest `key` so that its Chrome ID — and so the
 * exact `Origin` the bridge accepts — is the same on every machine. Only the public key is here.
 */
export const EXTENSION_MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvy2bicPFf/rqueNEEyXYcB4Z24zXur10psIDJCPSYdvUWoNA+9ll6NMWD4aABeYwFWytW5CF6Rn7iqg71oSMg7PjyHqhXxCJ65muIi+J8rk4F3r2fFK9hzLXDfy8OKUFQZ0en4VeMPbwiLy19MEtzqDna+9ThxorP4wP2x2NPrKqnGrQW7AUYuULkF7V6qxerJ+F7NN0NbY04v7cmzrH61ZI2uuluD/jr3vsfYF9y6PT7epK81C+lQ7TfLScrCQLp/lbJq12lrjnl0sNOPObaSyRZiVZHtgqgt8wG7tFRCga0mLqpg+xnyz6hPs099yFeP9/kJqSMH6PsJQLJmv+KQIDAQAB';

/** Derived from EXTENSION_MANIFEST_KEY (first 128 bits of its SHA-256, as letters a–p). */
export const CHROME_EXTENSION_ID = 'jffdobaadlaknnodpidlilihkogoekjj';

/** Firefox gives every install a random UUID origin; the ID below is the add-on's own. */
export const GECKO_EXTENSION_ID = 'hospiai-mcp@hospiai.fr';
