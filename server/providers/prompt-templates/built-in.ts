/**
 * The common chat formats of open models, written from each model family's published prompt format, and the
 * choice among them by model name (LiteLLM's behaviour when a deployment gives no template of its own).
 *
 * Formats that allow one system prompt at the start (Llama 2, Mistral, Falcon, Vicuna) join every system message
 * into it; the others keep system turns where they are. Tool results are user turns except where the format has
 * a role of its own for them (Llama 3.1's `ipython`, ChatML's `tool`).
 */
import { type PromptMessage, type Turn, turnsOf } from './messages.ts';

export const BUILT_IN_TEMPLATES = ['llama-2', 'llama-3', 'mistral', 'chatml', 'zephyr', 'falcon', 'vicuna', 'plain'] as const;
export type BuiltInTemplate = (typeof BUILT_IN_TEMPLATES)[number];

/** Checked in order: ChatML fine-tunes and Zephyr are often named after their base model (OpenHermes-2.5-Mistral). */
const BY_MODEL_NAME: readonly [RegExp, BuiltInTemplate][] = [
  [/qwen|(^|[/_-])yi-|openhermes|hermes-[23]|dolphin|chatml/, 'chatml'],
  [/zephyr/, 'zephyr'],
  [/llama-?3/, 'llama-3'],
  [/llama-?2|codellama/, 'llama-2'],
  [/mistral|mixtral/, 'mistral'],
  [/falcon/, 'falcon'],
  [/vicuna/, 'vicuna'],
];

/** The built-in format for a model name (`meta-llama/Meta-Llama-3-8B-Instruct`, `mistralai/Mixtral-8x7B…`); `plain` when none fits. */
export function builtInTemplateFor(model: string): BuiltInTemplate {
  const name = model.toLowerCase();
  return BY_MODEL_NAME.find(([pattern]) => pattern.test(name))?.[1] ?? 'plain';
}

/** One user request and the assistant's answer to it, when there is one yet. */
interface Exchange {
  user: string;
  assistant?: string;
}

const joinTexts = (a: string, b: string) => (a === '' ? b : `${a}\n\n${b}`);

function systemText(turns: readonly Turn[]): string {
  return turns.filter((t) => t.role === 'system').reduce((all, t) => joinTexts(all, t.text), '');
}

/** The non-system turns as user/assistant exchanges; consecutive turns of one side are joined. */
function exchangesOf(turns: readonly Turn[]): Exchange[] {
  const exchanges: Exchange[] = [];
  for (const turn of turns) {
    if (turn.role === 'system') continue;
    const last = exchanges.at(-1);
    if (turn.role === 'assistant') {
      if (!last) exchanges.push({ user: '', assistant: turn.text });
      else last.assistant = last.assistant === undefined ? turn.text : joinTexts(last.assistant, turn.text);
    } else if (!last || last.assistant !== undefined) {
      exchanges.push({ user: turn.text });
    } else {
      last.user = joinTexts(last.user, turn.text);
    }
  }
  return exchanges.length > 0 ? exchanges : [{ user: '' }];
}

// <s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user} [/INST] {answer} </s><s>[INST] {user} [/INST]
function llama2(turns: readonly Turn[]): string {
  const system = systemText(turns);
  return exchangesOf(turns)
    .map((ex, i) => {
      const user = i === 0 && system !== '' ? `<<SYS>>\n${system}\n<</SYS>>\n\n${ex.user}` : ex.user;
      const answer = ex.assistant === undefined ? '' : ` ${ex.assistant} </s>`;
      return `<s>[INST] ${user} [/INST]${answer}`;
    })
    .join('');
}

// <s>[INST] {system}\n\n{user} [/INST] {answer}</s>[INST] {user} [/INST]
function mistral(turns: readonly Turn[]): string {
  const system = systemText(turns);
  const body = exchangesOf(turns)
    .map((ex, i) => {
      const user = i === 0 ? joinTexts(system, ex.user) : ex.user;
      const answer = ex.assistant === undefined ? '' : ` ${ex.assistant}</s>`;
      return `[INST] ${user} [/INST]${answer}`;
    })
    .join('');
  return `<s>${body}`;
}

// <|begin_of_text|><|start_header_id|>{role}<|end_header_id|>\n\n{text}<|eot_id|>…<|start_header_id|>assistant<|end_header_id|>\n\n
function llama3(turns: readonly Turn[]): string {
  const header = (role: string) => `<|start_header_id|>${role}<|end_header_id|>\n\n`;
  const body = turns.map((t) => `${header(t.role === 'tool' ? 'ipython' : t.role)}${t.text}<|eot_id|>`).join('');
  return `<|begin_of_text|>${body}${header('assistant')}`;
}

// <|im_start|>{role}\n{text}<|im_end|>\n…<|im_start|>assistant\n
function chatml(turns: readonly Turn[]): string {
  return `${turns.map((t) => `<|im_start|>${t.role}\n${t.text}<|im_end|>\n`).join('')}<|im_start|>assistant\n`;
}

// <|system|>\n{text}</s>\n<|user|>\n{text}</s>\n<|assistant|>\n
function zephyr(turns: readonly Turn[]): string {
  const tag = (role: Turn['role']) => (role === 'tool' ? 'user' : role);
  return `${turns.map((t) => `<|${tag(t.role)}|>\n${t.text}</s>\n`).join('')}<|assistant|>\n`;
}

// System: {system}\nUser: {user}\nFalcon: {answer}\nUser: {user}\nFalcon:
function falcon(turns: readonly Turn[]): string {
  const system = systemText(turns);
  const lines = system === '' ? [] : [`System: ${system}`];
  for (const ex of exchangesOf(turns)) {
    lines.push(`User: ${ex.user}`);
    if (ex.assistant !== undefined) lines.push(`Falcon: ${ex.assistant}`);
  }
  return `${lines.join('\n')}\nFalcon:`;
}

const VICUNA_SYSTEM =
  "A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the user's questions.";

// Vicuna v1.1: {system} USER: {user} ASSISTANT: {answer}</s>USER: {user} ASSISTANT:
function vicuna(turns: readonly Turn[]): string {
  const system = systemText(turns) || VICUNA_SYSTEM;
  const body = exchangesOf(turns)
    .map((ex) => `USER: ${ex.user} ASSISTANT:${ex.assistant === undefined ? '' : ` ${ex.assistant}</s>`}`)
    .join('');
  return `${system} ${body}`;
}

const PLAIN_LABELS: Record<Turn['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' };

/**
 * A model of unknown format: a lone request is sent as its text (what a completion model expects); a conversation
 * as a labelled transcript ending where the assistant's answer begins.
 */
function plain(turns: readonly Turn[]): string {
  if (turns.every((t) => t.role === 'user')) return turns.map((t) => t.text).join('\n\n');
  return `${turns.map((t) => `${PLAIN_LABELS[t.role]}: ${t.text}`).join('\n\n')}\n\nAssistant:`;
}

const RENDER: Record<BuiltInTemplate, (turns: readonly Turn[]) => string> = {
  'llama-2': llama2,
  'llama-3': llama3,
  mistral,
  chatml,
  zephyr,
  falcon,
  vicuna,
  plain,
};

export function renderBuiltInPrompt(template: BuiltInTemplate, messages: readonly PromptMessage[]): string {
  return RENDER[template](turnsOf(messages));
}
