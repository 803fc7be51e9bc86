/**
 * `npm run repl`: chat with kefu in the console.
 *
 *   --trace      show normalised text, tokens, intent scores, entities, the nodes taken and effects
 *   --json       piped use: one JSON line per input line, `{"input": …, "replies": […]}`, nothing
 *                else on stdout (no welcome; problems go to stderr); a line the server would
 *                refuse gets `"replies": [], "error": {code, message}`
 *   --lang en    start in English (like /lang en)
 *   --now ISO    fixed clock, for reproducible transcripts
 *
 * Typing the number of a quick reply picks it. Commands: /reset /state /lang en|zh /help /quit.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createMemoryTurnContext, loadBot, type SessionState } from '../bot.js';
import type { Bot, TurnResult } from '../bot.types.js';
import type { BotMessage, QuickReply } from '../protocol.js';
import { ProtocolFailure } from '../core/errors.js';
import { parseUserMessage } from '../conversation/validate.js';

const { values: args } = parseArgs({
  options: {
    trace: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    lang: { type: 'string' },
    now: { type: 'string' },
  },
});

const tty = process.stdout.isTTY === true && !args.json;
const paint = (code: string) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const dim = paint('2');
const cyan = paint('36');
const yellow = paint('33');
const green = paint('32');

const HELP = '/reset 重新开始 · /state 查看会话状态 · /lang en|zh 切换语言 · /quit 退出 · 输入数字选择快捷回复';

function clock(): Date {
  if (!args.now) return new Date();
  const d = new Date(args.now);
  if (Number.isNaN(d.getTime())) throw new Error(`--now: not a date: ${args.now}`);
  return d;
}

const LABELS = { zh: { bot: '客服>', user: '你> ' }, en: { bot: 'kefu>', user: 'you> ' } } as const;

function formatMessage(m: BotMessage, lang: 'zh' | 'en'): string {
  const tag = m.step ? dim(` [${m.step}${m.ticketId ? ` ${m.ticketId}` : ''}]`) : '';
  const lines = [`${cyan(LABELS[lang].bot)} ${m.text.replace(/\n/g, '\n      ')}${tag}`];
  if (m.quickReplies?.length) {
    lines.push('      ' + m.quickReplies.map((q, i) => yellow(`[${i + 1}] ${q.label}`)).join('  '));
  }
  return lines.join('\n');
}

function formatTrace(r: TurnResult<SessionState>): string {
  const out: string[] = [];
  if (r.nlu) {
    out.push(`normalised: ${r.nlu.normalized}  (lang ${r.nlu.lang})`);
    out.push(`tokens: ${r.nlu.tokens.join(' / ')}`);
    out.push(`intents: ${r.nlu.candidates.map((c) => `${c.intent} ${c.score.toFixed(2)}`).join(', ') || '(none)'}${r.nlu.ambiguousWith ? `  ambiguous with ${r.nlu.ambiguousWith}` : ''}`);
    out.push(`entities: ${r.nlu.entities.map((e) => `${e.type}=${e.value}`).join(', ') || '(none)'}`);
    if (r.nlu.explanation.length) out.push(`why: ${r.nlu.explanation.join('; ')}`);
  } else {
    out.push('(decided without NLU)');
  }
  out.push(...r.trace);
  for (const e of r.effects) out.push(`effect ${e.type}${'ticketId' in e && e.ticketId ? ` ${e.ticketId}` : ''}${e.type === 'rating' ? ` ${e.score}` : ''}`);
  return out.map((l) => dim(`  · ${l}`)).join('\n');
}

async function main(): Promise<void> {
  const bot: Bot<SessionState> = await loadBot();
  const ctx = createMemoryTurnContext();
  const fresh = (): SessionState => {
    const s = bot.newSession({ lang: args.lang === 'en' ? 'en' : 'zh' });
    return args.lang === 'en' || args.lang === 'zh' ? { ...s, langLocked: true } : s;
  };
  let state = fresh();
  let offered: QuickReply[] = [];
  const remember = (replies: BotMessage[]) => {
    const last = [...replies].reverse().find((m) => m.quickReplies?.length);
    offered = last?.quickReplies ?? [];
  };
  const say = (replies: BotMessage[]) => {
    remember(replies);
    if (!args.json) for (const m of replies) console.log(formatMessage(m, state.lang));
  };

  /** Handles one input line; returns the replies (empty for console commands) or null to quit. */
  const turn = (line: string): BotMessage[] | null => {
    const text = line.trim();
    if (text.startsWith('/')) {
      const [cmd, arg] = text.split(/\s+/);
      switch (cmd) {
        case '/quit':
        case '/exit':
          return null;
        case '/reset': {
          state = fresh();
          const w = bot.welcome(state, ctx);
          remember(w);
          return w;
        }
        case '/state':
          if (!args.json) console.log(dim(JSON.stringify(state, null, 2)));
          return [];
        case '/lang':
          if (arg === 'en' || arg === 'zh') state = { ...state, lang: arg, langLocked: true };
          else if (!args.json) console.log(dim('用法 usage: /lang en|zh'));
          return [];
        default:
          if (!args.json) console.log(dim(HELP));
          return [];
      }
    }
    const n = /^\d+$/.test(text) ? Number(text) : 0;
    const pick = n >= 1 ? offered[n - 1] : undefined;
    const input = pick ? { text: pick.label, payload: pick.value, now: clock() } : { text, now: clock() };
    const r = bot.handle(state, input, ctx);
    state = r.state;
    remember(r.replies);
    if (args.trace) (args.json ? process.stderr : process.stdout).write(formatTrace(r) + '\n');
    return r.replies;
  };

  const rl = createInterface({ input: process.stdin, output: args.json ? undefined : process.stdout, terminal: tty });
  if (!args.json) {
    console.log(dim(HELP));
    say(bot.welcome(state, ctx));
    rl.setPrompt(green(LABELS[state.lang].user));
    rl.prompt();
  }
  for await (const line of rl) {
    if (!line.trim()) {
      if (!args.json) rl.prompt();
      continue;
    }
    // Piped into the console view: echo the line so the transcript reads like a chat.
    if (!args.json && !tty) process.stdout.write(`${line}\n`);
    // What the server would refuse (too long, nothing visible) is refused here too, with its code.
    const refused = refusal(line);
    if (refused) {
      if (args.json) process.stdout.write(JSON.stringify({ input: line, replies: [], error: refused }) + '\n');
      else {
        console.log(yellow(`  ! ${refused.code}: ${refused.message}`));
        rl.prompt();
      }
      continue;
    }
    const replies = turn(line);
    if (replies === null) break;
    if (args.json) process.stdout.write(JSON.stringify({ input: line, replies }) + '\n');
    else {
      for (const m of replies) console.log(formatMessage(m, state.lang));
      rl.setPrompt(green(LABELS[state.lang].user));
      rl.prompt();
    }
  }
  rl.close();
}

/** The server's error for a line it would not accept as a message; null when it would. Commands are always accepted. */
function refusal(line: string): { code: string; message: string } | null {
  if (line.trim().startsWith('/')) return null;
  try {
    parseUserMessage({ text: line });
    return null;
  } catch (e) {
    if (e instanceof ProtocolFailure) return { code: e.code, message: e.message };
    throw e;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
