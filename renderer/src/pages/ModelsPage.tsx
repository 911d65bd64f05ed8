import { PageHeader } from '../components/PageHeader.tsx';

export function ModelsPage() {
  return <PageHeader title="Models" />;
}
