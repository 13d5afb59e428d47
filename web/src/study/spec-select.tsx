// The portfolio a study, Monte Carlo or sweep runs: the account's own positions ("account") or a bundled example
// by name, as /perpguard/v1/studyChoices lists them. Shared by the study page and the sweep page.
export interface Choices {
  readonly windows: readonly { readonly id: string; readonly title: string }[];
  readonly examples: readonly { readonly name: string; readonly title: string; readonly legs: readonly string[] }[];
}

export function SpecSelect(props: { choices: Choices | undefined; value: string; onChange: (value: string) => void }) {
  return (
    <label>
      Portfolio
      <select name="spec" value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="account">this account's positions</option>
        {props.choices?.examples.map((e) => (
          <option key={e.name} value={e.name}>
            example: {e.title}
          </option>
        ))}
      </select>
    </label>
  );
}

