/**
 * The "Can I share this?" decision tree: every node is already in the page (rendered by the
 * builder); this only shows one node at a time and moves focus to it.
 */
export function wireDecisionTree(root: HTMLElement): void {
  const nodes = Array.from(root.querySelectorAll<HTMLElement>('[data-node]'));
  const restart = root.querySelector<HTMLButtonElement>('[data-tree-restart]');

  const showNode = (id: string, focus: boolean) => {
    for (const node of nodes) node.hidden = node.dataset.node !== id;
    if (restart) restart.hidden = id === root.dataset.start;
    if (focus) root.querySelector<HTMLElement>(`[data-node="${id}"] h2`)?.focus();
  };

  root.addEventListener('click', (event) => {
    const target = event.target as Element;
    const option = target.closest<HTMLButtonElement>('[data-next]');
    if (option) showNode(option.dataset.next!, true);
    else if (target.closest('[data-tree-restart]')) showNode(root.dataset.start!, true);
  });
  showNode(root.dataset.start!, false);
}
