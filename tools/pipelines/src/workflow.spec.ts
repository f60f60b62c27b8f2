import { optionValues, shellCommands, withInputs } from './workflow';

describe('shellCommands', () => {
  it('splits lines into words, drops quotes and comments, joins continuations', () => {
    const script = 'npx nx run-many -t lint test \\\n  -p "$APP" # checks\n\n# a comment\necho \'$APP stays\'';
    expect(shellCommands(script, { APP: 'intake' })).toEqual([
      ['npx', 'nx', 'run-many', '-t', 'lint', 'test', '-p', 'intake'],
      ['echo', '$APP stays'],
    ]);
  });

  it('expands $NAME and ${NAME} inside words, and leaves unknown names as written', () => {
    expect(shellCommands('az x --src "dist/apps/$APP.zip" --to ${APP}-$OTHER', { APP: 'executor' })).toEqual([
      ['az', 'x', '--src', 'dist/apps/executor.zip', '--to', 'executor-$OTHER'],
    ]);
  });
});

describe('optionValues', () => {
  it('collects the values after an option up to the next one, in both spellings', () => {
    const words = ['nx', 'run-many', '-t', 'lint', 'test', '--projects=intake,executor', '--outputStyle=static'];
    expect(optionValues(words, ['-t', '--targets'])).toEqual(['lint', 'test']);
    expect(optionValues(words, ['-p', '--projects'])).toEqual(['intake', 'executor']);
  });
});

describe('withInputs', () => {
  const declared = { app: { type: 'string', required: true }, region: { type: 'string', default: 'swedencentral' } };

  it('replaces inputs with what the caller passes, or their default', () => {
    const job = { run: 'nx package ${{ inputs.app }} in ${{inputs.region}}', with: { name: '${{ inputs.app }}-zip' } };
    expect(withInputs(job, declared, { app: 'validator' })).toEqual({
      run: 'nx package validator in swedencentral',
      with: { name: 'validator-zip' },
    });
  });

  it('throws for an input the workflow does not declare or the caller does not pass', () => {
    expect(() => withInputs('${{ inputs.ap }}', declared, { app: 'intake' })).toThrow(/does not declare it/);
    expect(() => withInputs('${{ inputs.app }}', declared, {})).toThrow(/passes no app/);
  });
});
