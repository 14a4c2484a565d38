// A word-level redline: kept text as is, insertions in <ins>, deletions in <del>.
import type { DiffOp } from "../api/types";

interface RedlineProps {
  diff: readonly DiffOp[];
}

export function Redline({ diff }: RedlineProps) {
  return (
    <>
      {diff.map(([op, text], index) => {
        if (op === "insert") return <ins key={index}>{text}</ins>;
        if (op === "delete") return <del key={index}>{text}</del>;
        return <span key={index}>{text}</span>;
      })}
    </>
  );
}
