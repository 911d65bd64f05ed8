import { PageHeader } from '../components/PageHeader.tsx';

export function KeysPage() {
  return <PageHeader title="Keys" />;
}
