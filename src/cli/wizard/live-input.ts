import { createPrompt, isBackspaceKey, isEnterKey, isTabKey, makeTheme, usePrefix, useState, useKeypress } from '@inquirer/core';

interface LiveInputConfig {
  message: string;
  default?: string;
  /** Returns what is wrong with the value, or undefined when it is fine. Runs on every key. */
  check: (value: string) => string | undefined;
}

/**
 * A text prompt that validates as you type: the problem with the current value shows
 * under the line at every keystroke (inquirer's own `input` only checks on Enter),
 * and Enter is refused until the value is valid.
 */
export const liveInput = createPrompt<string, LiveInputConfig>((config, done) => {
  const theme = makeTheme({});
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [value, setValue] = useState('');
  const [defaultValue, setDefaultValue] = useState<string | undefined>(config.default);
  const [submitted, setSubmitted] = useState(false);
  const prefix = usePrefix({ status, theme });

  useKeypress((key, rl) => {
    if (status !== 'idle') return;
    if (isEnterKey(key)) {
      const answer = value || defaultValue || '';
      if (config.check(answer) === undefined) {
        setValue(answer);
        setStatus('done');
        done(answer);
      } else {
        // Enter cleared readline's line; put the text back so it can be fixed.
        rl.write(value);
        setSubmitted(true);
      }
    } else if (isBackspaceKey(key) && !value) {
      setDefaultValue(undefined);
    } else if (isTabKey(key) && !value && defaultValue) {
      rl.clearLine(0);
      rl.write(defaultValue);
      setValue(defaultValue);
    } else {
      setValue(rl.line);
    }
  });

  const message = theme.style.message(config.message, status);
  if (status === 'done') return `${prefix} ${message} ${theme.style.answer(value)}`;
  const shown = value || (defaultValue ? theme.style.defaultAnswer(defaultValue) : '');
  // An empty line is not an error until the person tries to submit it; a default is checked at once.
  const problem = value || submitted || defaultValue ? config.check(value || defaultValue || '') : undefined;
  return [`${prefix} ${message} ${shown}`, problem ? theme.style.error(problem) : ''];
});
