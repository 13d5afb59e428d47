// Bad input, named: every parser (snapshots, journals, specs, imports, CLI flags) reports what it refuses
// as the field and the reason, so the CLI prints one line and exits with 2. Expected refusals of commands
// are Rejection values in the engine instead; this is for input that cannot become a command at all.
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
  }
}
